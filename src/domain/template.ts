import { Context, Liquid, toValueSync, type Template } from 'liquidjs';
import { BoundedEmitter, isTimeLimit, slowTemplates, TEMPLATE_LIMITS, timeLimitHits } from './render-limits.ts';
import { htmlToText } from './html-text.ts';

export { boundMergeValues, TEMPLATE_LIMITS } from './render-limits.ts';

/**
 * Merge-field rendering for email subjects/bodies and task titles/instructions (pure, no IO).
 * Templates are Liquid: `{{lead.firstName | fallback: "there"}}`, `{{lead.fields.industry}}`.
 */

export interface MergeContext {
  lead: {
    firstName?: string | null;
    lastName?: string | null;
    fullName?: string | null;
    email: string;
    company?: string | null;
    phone?: string | null;
    status?: string | null;
    fields?: Record<string, unknown>;
  };
  owner: { name: string; email: string; firstName?: string | null };
  sender?: { name?: string | null; email: string };
  cadence?: { name: string };
}

/** `message` names the problem and its position (Liquid appends "line:L, col:C"). */
export type TemplateError = { code: 'invalid_template'; message: string };

type Mode = 'text' | 'html';

/** A merge value counts as missing when null, undefined or a blank string (a lead's "  " first name is no name). */
function isMissing(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
}

function makeLiquid(mode: Mode): Liquid {
  const liquid = new Liquid({
    strictFilters: true, // a typo'd filter is a save-time error, not silent output
    strictVariables: false, // unknown variables render empty
    ownPropertyOnly: true, // no reaching into prototypes of the context objects
    outputEscape: mode === 'html' ? 'escape' : undefined,
    templates: {}, // in-memory, empty: even if a file tag slipped through it could not read the disk
    renderLimit: TEMPLATE_LIMITS.renderMs,
    memoryLimit: TEMPLATE_LIMITS.memory,
    parseLimit: TEMPLATE_LIMITS.parseChars,
  });
  // No partials or layouts in merge templates: make the file tags unknown so they fail at parse (save) time.
  for (const tag of ['include', 'render', 'layout']) delete liquid.tags[tag];

  liquid.registerFilter('fallback', (v: unknown, alt: unknown = '') => (isMissing(v) ? alt : v));
  // Liquid's `default` keeps blank strings (and '' in some versions); merge fields want them replaced.
  liquid.registerFilter('default', (v: unknown, alt: unknown = '') =>
    isMissing(v) || v === false || (Array.isArray(v) && v.length === 0) ? alt : v,
  );
  return liquid;
}

/** Parsed templates, capped LRU: Map keeps insertion order, so re-inserting on a hit marks it recent. */
class ParseCache {
  private readonly map = new Map<string, Template[]>();
  constructor(private readonly max: number) {}

  get(source: string, parse: (s: string) => Template[]): Template[] {
    const hit = this.map.get(source);
    if (hit) {
      this.map.delete(source);
      this.map.set(source, hit);
      return hit;
    }
    const parsed = parse(source);
    if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value!);
    this.map.set(source, parsed);
    return parsed;
  }

  get size(): number {
    return this.map.size;
  }
}

const CACHE_SIZE = 500;

// One instance and cache per mode: html templates carry the escape filter baked in at parse time,
// so a parse from one mode must never be rendered by the other.
const engines: Record<Mode, { liquid: Liquid; cache: ParseCache }> = {
  text: { liquid: makeLiquid('text'), cache: new ParseCache(CACHE_SIZE) },
  html: { liquid: makeLiquid('html'), cache: new ParseCache(CACHE_SIZE) },
};

function parse(mode: Mode, source: string): Template[] {
  const { liquid, cache } = engines[mode];
  return cache.get(source, (s) => liquid.parse(s));
}

/**
 * An engine render. A template that ran out of time lately (for this lead or another) gets
 * the short budget: leads whose data makes it slow then fail fast, one after another in a
 * batch, instead of each holding the worker for the full limit.
 */
function render(mode: Mode, source: string, ctx: MergeContext): string {
  const slow = slowTemplates.isSlow(source);
  const renderMs = slow ? TEMPLATE_LIMITS.slowRenderMs : TEMPLATE_LIMITS.renderMs;
  const cpuBefore = process.cpuUsage();
  try {
    return renderOnce(mode, source, ctx, renderMs);
  } catch (e) {
    if (!isTimeLimit(e)) throw e;
    const cpu = process.cpuUsage(cpuBefore);
    // Cut by the wall clock while this process got under half of it in CPU time: the
    // machine was busy (descheduled, collecting garbage), not the template slow. One more go.
    if ((cpu.user + cpu.system) / 1000 < renderMs / 2) return renderAgain(mode, source, ctx, renderMs, slow);
    return ranOutOfTime(source, slow, e as Error);
  }
}

function renderAgain(mode: Mode, source: string, ctx: MergeContext, renderMs: number, slow: boolean): string {
  try {
    return renderOnce(mode, source, ctx, renderMs);
  } catch (e) {
    if (!isTimeLimit(e)) throw e;
    return ranOutOfTime(source, slow, e as Error);
  }
}

function ranOutOfTime(source: string, slow: boolean, e: Error): never {
  slowTemplates.ranOutOfTime(source);
  if (!slow) {
    timeLimitHits.render++;
    throw e;
  }
  timeLimitHits.slowRender++;
  const why = `it ran out of time for another lead in the last minute, so it is given ${TEMPLATE_LIMITS.slowRenderMs} ms`;
  throw new Error(`${e.message} (${why})`, { cause: e });
}

function renderOnce(mode: Mode, source: string, ctx: MergeContext, renderMs: number): string {
  const { liquid } = engines[mode];
  const scope = new Context(ctx, liquid.options, { sync: true, renderLimit: renderMs }, { liquid });
  const out = String(toValueSync(liquid.renderer.renderTemplates(parse(mode, source), scope, new BoundedEmitter())));
  // PostgreSQL text cannot hold NUL, which a filter can make (`"%00" | url_decode`).
  return out.includes('\0') ? out.replace(/\0/g, '') : out;
}

/** A lead with every standard field set: what a template is test-rendered with when saved. */
const SAMPLE_CONTEXT: MergeContext = {
  lead: {
    firstName: 'Ada', lastName: 'Lovelace', fullName: 'Ada Lovelace', email: 'ada@example.com',
    company: 'Analytical Engines', phone: '+44 20 7946 0000', status: 'New', fields: {},
  },
  owner: { name: 'Grace Hopper', email: 'grace@example.com', firstName: 'Grace' },
  sender: { name: 'Grace Hopper', email: 'grace@example.com' },
  cadence: { name: 'Sample cadence' },
};

/**
 * The render time one save may spend test-rendering all its templates: a cadence of a
 * hundred steps must not buy a hundred times the limit. LiquidJS reads the same clock.
 */
export interface CheckBudget {
  /** A performance.now() instant. */
  deadline: number;
}

export function checkBudget(ms = TEMPLATE_LIMITS.saveCheckMs): CheckBudget {
  return { deadline: performance.now() + ms };
}

/**
 * Called when a cadence is saved: the template must parse, and render for a sample
 * lead within the limits (as HTML when it holds markup, the stricter of the two, as a
 * body is then rendered), so that a template that could never run is refused up front.
 *
 * Each template gets `checkMs`, once. A template is refused only for what it does alone:
 * one that the save's shared budget cut short, or that it left no time for, is accepted
 * unchecked (refusing a save because other templates or a busy server took the time
 * would be wrong), and the engine's own limits still hold when it runs.
 */
export function checkTemplate(source: string, budget?: CheckBudget): TemplateError | null {
  try {
    parse('text', source);
  } catch (e) {
    return { code: 'invalid_template', message: messageOf(e) };
  }
  const left = budget ? budget.deadline - performance.now() : Infinity;
  if (left <= 0) return null;
  const renderMs = Math.min(TEMPLATE_LIMITS.checkMs, left);
  try {
    renderOnce(HTML_TAG.test(source) ? 'html' : 'text', source, SAMPLE_CONTEXT, renderMs);
    return null;
  } catch (e) {
    if (isTimeLimit(e)) {
      timeLimitHits.check++;
      if (renderMs < TEMPLATE_LIMITS.checkMs) return null;
    }
    return { code: 'invalid_template', message: `cannot be rendered within the limits: ${messageOf(e)}` };
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Plain text: merge values inserted as-is. Throws on a template that does not parse (see checkTemplate). */
export function renderText(source: string, ctx: MergeContext): string {
  return render('text', source, ctx);
}

/** HTML: merge values are HTML-escaped; the template's own markup is kept. */
export function renderHtml(source: string, ctx: MergeContext): string {
  return render('html', source, ctx);
}

const HTML_TAG = /<\/?[a-z][a-z0-9]*(\s[^>]*)?\/?>/i;

/** Whether a body template is HTML (it holds markup) or plain text: renderBody treats each its way. */
export function isHtmlTemplate(source: string): boolean {
  return HTML_TAG.test(source);
}

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

// One linear HTML-to-text for outgoing and inbound mail (the regex one here was quadratic on an unclosed <style>).
export { htmlToText };

/** A subject as one line: what renderSubject does to a rendered subject. */
export function collapseNewlines(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** Subject as one line of text; body as html + text, whichever form the template was written in. */
export function renderEmail(
  subjectTpl: string,
  bodyTpl: string,
  ctx: MergeContext,
): { subject: string; html: string; text: string } {
  return { subject: renderSubject(subjectTpl, ctx), ...renderBody(bodyTpl, ctx) };
}

export function renderSubject(subjectTpl: string, ctx: MergeContext): string {
  return collapseNewlines(renderText(subjectTpl, ctx));
}

export function renderBody(bodyTpl: string, ctx: MergeContext): { html: string; text: string } {
  if (isHtmlTemplate(bodyTpl)) {
    const html = renderHtml(bodyTpl, ctx);
    return { html, text: htmlToText(html) };
  }
  const text = renderText(bodyTpl, ctx);
  const html = `<html><body>${escapeHtml(text).replace(/\r?\n/g, '<br>\n')}</body></html>`;
  return { html, text };
}

/** For tests and diagnostics. */
export function cacheSizes(): Record<Mode, number> {
  return { text: engines.text.cache.size, html: engines.html.cache.size };
}
