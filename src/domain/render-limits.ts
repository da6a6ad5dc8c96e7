import { toValue, type Emitter } from 'liquidjs';

/**
 * Bounds on one render. A template is user input run for every lead of a batch, and a
 * lead's data is user input too: past these a render throws (and only that step fails)
 * instead of holding the thread or the memory. Real merge templates render in well
 * under a millisecond, into a few kilobytes.
 */
export const TEMPLATE_LIMITS = {
  /**
   * Wall-clock budget of one render in the engine, in ms (LiquidJS renderLimit): 150 times
   * what a real template needs. A second go only when the process visibly did not get the
   * CPU meanwhile (see render() in template.ts), so a slow template costs the batch one limit.
   */
  renderMs: 150,
  /**
   * The budget of a template that ran out of time within the last `slowWindowMs` (for any
   * lead): a batch of a thousand leads that all trip it then costs 10 ms each, not 150,
   * while leads whose data it handles still render (in well under 1 ms).
   */
  slowRenderMs: 10,
  slowWindowMs: 60_000,
  /**
   * LiquidJS memoryLimit: the sizes of ranges, strings and arrays that filters and tags
   * allocate in one render. LiquidJS builds a range item by item before the time limit can
   * look (~90 ms a million), so this also bounds the time no limit can interrupt.
   */
  memory: 1_000_000,
  /** Characters a template may have (LiquidJS parseLimit); zod caps a body at 100,000. */
  parseChars: 200_000,
  /** Render time the save check gives one template, in ms, without a second go. */
  checkMs: 100,
  /** Render time one save may spend test-rendering all its templates, in ms. */
  saveCheckMs: 500,
  /** Characters a render may output. */
  outputChars: 500_000,
  /** A merge value's string is cut to this many characters (a custom field holding a book). */
  valueChars: 10_000,
  /** A merge value's list is cut to this many items, and nesting deeper than `valueDepth` is dropped. */
  valueItems: 1_000,
  valueDepth: 4,
};

/** Whether a render was stopped by LiquidJS's wall-clock limit (not memory or output). */
export function isTimeLimit(e: unknown): boolean {
  return e instanceof Error && e.message.startsWith('template render limit exceeded');
}

/** Renders stopped by the time limit since the process started, for tests and diagnostics. */
export const timeLimitHits = {
  /** In the engine, with the full `renderMs`. */
  render: 0,
  /** In the engine, with `slowRenderMs`. */
  slowRender: 0,
  /** When a cadence was saved. */
  check: 0,
};

/** Templates (by source) that ran out of time lately, capped: Map keeps insertion order, oldest first. */
class SlowTemplates {
  private readonly lastTimeout = new Map<string, number>();
  constructor(private readonly max: number) {}

  isSlow(source: string): boolean {
    const at = this.lastTimeout.get(source);
    return at !== undefined && performance.now() - at < TEMPLATE_LIMITS.slowWindowMs;
  }

  ranOutOfTime(source: string): void {
    this.lastTimeout.delete(source);
    if (this.lastTimeout.size >= this.max) this.lastTimeout.delete(this.lastTimeout.keys().next().value!);
    this.lastTimeout.set(source, performance.now());
  }
}

export const slowTemplates = new SlowTemplates(500);

/** LiquidJS's own emitter, with a ceiling: a loop that writes without end stops at `outputChars`. */
export class BoundedEmitter implements Emitter {
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
