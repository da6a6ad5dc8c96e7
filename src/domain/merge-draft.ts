import { Context, Drop, Liquid, toValueSync, type FilterImplOptions, type Template } from 'liquidjs';
import { BoundedEmitter, TEMPLATE_LIMITS } from './render-limits.ts';
import type { MergeContext } from './template.ts';

/**
 * A template rendered for one lead as a draft the rep reviews (a manual email): the
 * same Liquid, filters and limits as template.ts, except that a merge field printed
 * without a value and without a fallback is left in place as `{{ lead.firstName }}`
 * and named in `missing`. Sent back unchanged, the draft is refused for the same
 * fields; guarded uses (`{% if lead.company %}`) and fallbacks are not missing.
 *
 * How: every value a template can reach under lead, owner, sender and cadence that is
 * empty (null, blank, or absent) is a MissingValue, falsy in conditions, replaced by
 * `fallback`/`default`, carried through every other filter, and caught by the output
 * filter Liquid appends to each `{{ }}`. Pure: no IO.
 */

export type DraftMode = 'text' | 'html';

export interface Draft {
  output: string;
  /** Merge fields printed without a value, in order of first use, each once. */
  missing: string[];
}

/** A merge field with no value: falsy, printed as its own tag, reached into as deeper missing fields. */
class MissingValue extends Drop {
  readonly #path: string;
  constructor(path: string) {
    super();
    this.#path = path;
  }
  get path(): string {
    return this.#path;
  }
  override liquidMethodMissing(key: string | number): MissingValue {
    return new MissingValue(`${this.#path}.${String(key)}`);
  }
  override valueOf(): null {
    return null;
  }
}

/** An object of the context whose empty and absent keys are MissingValues. */
class MergeScope extends Drop {
  readonly #path: string;
  constructor(path: string, values: Record<string, unknown>) {
    super();
    this.#path = path;
    for (const [key, value] of Object.entries(values)) {
      (this as Record<string, unknown>)[key] = scoped(`${path}.${key}`, value);
    }
  }
  override liquidMethodMissing(key: string | number): MissingValue {
    return new MissingValue(`${this.#path}.${String(key)}`);
  }
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
}

function scoped(path: string, value: unknown): unknown {
  if (isEmpty(value)) return new MissingValue(path);
  if (typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)) {
    return new MergeScope(path, value as Record<string, unknown>);
  }
  return value;
}

const MISSING_REGISTER = 'cadenza-missing';

/** The output filter: a missing field is recorded and printed as its tag; anything else as `escape` (html) or as it is. */
function outputFilter(escape: FilterImplOptions | null) {
  return function (this: { context: Context }, value: unknown): unknown {
    if (value instanceof MissingValue) {
      (this.context.getRegister(MISSING_REGISTER) as { seen?: Set<string> }).seen?.add(value.path);
      return `{{ ${value.path} }}`;
    }
    const impl = escape && (typeof escape === 'function' ? escape : escape.handler!);
    const out = impl ? impl.call(this as never, value) : value;
    return typeof out === 'string' && out.includes('{') ? out.replace(/\{/g, LITERAL_BRACE) : out;
  };
}

/**
 * A draft goes back to the server as a template, so a `{` that a value prints (a lead's
 * company "{{ owner.email }}") is written as a tag printing `{`: rendered again, the
 * draft says what it said, and lead data is never read as Liquid.
 */
const LITERAL_BRACE = "{{ '{' }}";

function makeDraftLiquid(mode: DraftMode): Liquid {
  const liquid = new Liquid({
    strictFilters: true,
    strictVariables: false,
    ownPropertyOnly: true,
    templates: {},
    renderLimit: TEMPLATE_LIMITS.renderMs,
    memoryLimit: TEMPLATE_LIMITS.memory,
    parseLimit: TEMPLATE_LIMITS.parseChars,
  });
  for (const tag of ['include', 'render', 'layout']) delete liquid.tags[tag];
  // A missing value goes through every filter unchanged, to be caught at the output...
  for (const [name, impl] of Object.entries(liquid.filters)) {
    const handler = typeof impl === 'function' ? impl : impl.handler;
    if (!handler) continue;
    const carried = function (this: unknown, v: unknown, ...args: unknown[]) {
      return v instanceof MissingValue ? v : handler.call(this as never, v, ...args);
    };
    liquid.registerFilter(name, typeof impl === 'function' ? carried : { ...impl, handler: carried });
  }
  // ...except the two that replace it, as template.ts defines them.
  liquid.registerFilter('fallback', (v: unknown, alt: unknown = '') => (isEmpty(v) || v instanceof MissingValue ? alt : v));
  liquid.registerFilter('default', (v: unknown, alt: unknown = '') =>
    isEmpty(v) || v instanceof MissingValue || v === false || (Array.isArray(v) && v.length === 0) ? alt : v);
  liquid.options.outputEscape = outputFilter(mode === 'html' ? liquid.filters.escape : null) as never;
  return liquid;
}

const engines: Record<DraftMode, Liquid> = { text: makeDraftLiquid('text'), html: makeDraftLiquid('html') };

/**
 * Renders `source` for `ctx` as a draft. Throws as template.ts's render does: on a
 * template that does not parse or goes over the render limits.
 */
export function renderDraft(source: string, mode: DraftMode, ctx: MergeContext): Draft {
  const liquid = engines[mode];
  const templates: Template[] = liquid.parse(source);
  const env = {
    lead: scoped('lead', ctx.lead),
    owner: scoped('owner', ctx.owner),
    sender: scoped('sender', ctx.sender ?? {}),
    cadence: scoped('cadence', ctx.cadence ?? {}),
  };
  const scope = new Context(env, liquid.options, { sync: true, renderLimit: TEMPLATE_LIMITS.renderMs }, { liquid } as never);
  const seen = new Set<string>();
  scope.setRegister(MISSING_REGISTER, { seen });
  const out = String(toValueSync(liquid.renderer.renderTemplates(templates, scope, new BoundedEmitter())));
  return { output: out.includes('\0') ? out.replace(/\0/g, '') : out, missing: [...seen] };
}

/** The merge fields a template prints without a value for `ctx` (none when it does not parse: rendering says why). */
export function missingMergeFields(source: string, mode: DraftMode, ctx: MergeContext): string[] {
  return renderDraft(source, mode, ctx).missing;
}
