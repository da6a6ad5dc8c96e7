import { Context, Liquid, toValue, toValueSync, type Emitter, type Template } from 'liquidjs';

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

/**
 * Bounds on one render. A template is user input run for every lead of a batch, and a
 * lead's data is user input too: past these a render throws (and only that step fails)
 * instead of holding the thread or the memory. Real merge templates render in well
 * under a millisecond, into a few kilobytes.
 */
export const TEMPLATE_LIMITS = {
  /** Wall-clock budget of one render, in ms (LiquidJS renderLimit); see render() for the second go. */
  renderMs: 250,
  /** LiquidJS memoryLimit: the sizes of ranges, strings and arrays that filters and tags allocate. */
  memory: 10_000_000,
  /** Characters a template may have (LiquidJS parseLimit); zod caps a body at 100,000. */
  parseChars: 200_000,
  /** Render time a cadence's save may spend test-rendering all its templates, in ms. */
  saveCheckMs: 2_000,
  /** Characters a render may output. */
  outputChars: 500_000,
  /** A merge value's string is cut to this many characters (a custom field holding a book). */
  valueChars: 10_000,
  /** A merge value's list is cut to this many items, and nesting deeper than `valueDepth` is dropped. */
  valueItems: 1_000,
  valueDepth: 4,
};

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

/** LiquidJS's own emitter, with a ceiling: a loop that writes without end stops at `outputChars`. */
class BoundedEmitter implements Emitter {
  buffer = '';
  write(html: unknown): void {
    const s = stringify(html);
    if (this.buffer.length + s.length > TEMPLATE_LIMITS.outputChars) {
      throw new Error(`output limit exceeded (${TEMPLATE_LIMITS.outputChars.toLocaleString('en')} characters)`);
    }
    this.buffer += s;
  }
}

/** As LiquidJS writes a value out. */
function stringify(value: unknown): string {
  const v = toValue(value);
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(stringify).join('');
  return String(v);
}

function render(mode: Mode, source: string, ctx: MergeContext, renderMs = TEMPLATE_LIMITS.renderMs): string {
  try {
    return renderOnce(mode, source, ctx, renderMs);
  } catch (e) {
    // A wall-clock limit also trips on a process that was only descheduled or collecting
    // garbage (a busy machine made a 0.1 ms render take 100): a render that ran out of
    // time gets a second go before its step fails for good.
    if (!(e instanceof Error && e.message.startsWith('template render limit exceeded'))) throw e;
    return renderOnce(mode, source, ctx, renderMs);
  }
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
 */
export function checkTemplate(source: string, budget?: CheckBudget): TemplateError | null {
  try {
    parse('text', source);
  } catch (e) {
    return { code: 'invalid_template', message: messageOf(e) };
  }
  const renderMs = Math.min(TEMPLATE_LIMITS.renderMs, budget ? budget.deadline - performance.now() : Infinity);
  if (renderMs <= 0) {
    return { code: 'invalid_template', message: `not checked: the templates took over ${TEMPLATE_LIMITS.saveCheckMs} ms to render together` };
  }
  try {
    render(HTML_TAG.test(source) ? 'html' : 'text', source, SAMPLE_CONTEXT, renderMs);
    return null;
  } catch (e) {
    return { code: 'invalid_template', message: `cannot be rendered within the limits: ${messageOf(e)}` };
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * A lead's custom fields as templates see them: long strings cut, long lists cut,
 * deep nesting dropped, so that no stored value can make a render large or slow.
 */
export function boundMergeValues(fields: Record<string, unknown>): Record<string, unknown> {
  return bound(fields, 0) as Record<string, unknown>;
}

function bound(v: unknown, depth: number): unknown {
  const { valueChars, valueItems, valueDepth } = TEMPLATE_LIMITS;
  if (typeof v === 'string') {
    if (v.length <= valueChars) return v;
    // Never end on half of a surrogate pair.
    const end = /[\uD800-\uDBFF]/.test(v[valueChars - 1]) ? valueChars - 1 : valueChars;
    return v.slice(0, end);
  }
  if (v === null || typeof v !== 'object') return v;
  if (depth >= valueDepth) return null;
  if (Array.isArray(v)) return v.slice(0, valueItems).map((x) => bound(x, depth + 1));
  const out: Record<string, unknown> = {};
  let n = 0;
  for (const [k, x] of Object.entries(v)) {
    if (n++ >= valueItems) break;
    out[k] = bound(x, depth + 1);
  }
  return out;
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

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+|#39);/gi, (m, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[name.toLowerCase()] ?? m;
  });
}

/** A simple plain-text version of an HTML body: line breaks for <br> and block ends, tags dropped, entities decoded. */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<(style|script|head)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p\s*>/gi, '\n\n') // paragraphs keep a blank line between them, as in plain-text mail
    .replace(/<\/(div|h[1-6]|li|tr|table|blockquote)\s*>/gi, '\n')
    .replace(/<[^>]*>/g, '');
  // Decode after stripping, so an escaped "&lt;b&gt;" in a merge value survives as the literal "<b>".
  return decodeEntities(text)
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function collapseNewlines(s: string): string {
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
  if (HTML_TAG.test(bodyTpl)) {
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
