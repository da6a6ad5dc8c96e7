/**
 * Text PostgreSQL cannot store: a NUL character (text and jsonb refuse it) or a lone
 * UTF-16 surrogate such as "\ud800", which JSON may carry but is no Unicode text (jsonb
 * refuses its escape; a text column would silently get U+FFFD instead). Bad input is
 * refused with a 400 naming the field, before anything is written.
 */

export interface UnstorableText {
  path: string;
  message: string;
}

const NUL_MESSAGE = 'must not contain NUL characters';
const SURROGATE_MESSAGE = 'must be valid Unicode text (it holds a lone surrogate such as \\ud800)';

// With the u flag a surrogate pair is one code point, so \p{Cs} matches lone halves only.
const LONE_SURROGATE = /\p{Cs}/u;

function problemOf(s: string): string | null {
  if (s.includes('\u0000')) return NUL_MESSAGE;
  if (LONE_SURROGATE.test(s)) return SURROGATE_MESSAGE;
  return null;
}

/** A key as it can be shown in a path: NULs and lone surrogates as JSON escapes. */
const printable = (key: string) => key.replace(/[\u0000\p{Cs}]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

interface Visit {
  value: unknown;
  parent: Visit | null;
  key: string;
}

const pathOf = (v: Visit) => {
  const keys: string[] = [];
  for (let at: Visit | null = v; at; at = at.parent) keys.push(at.key);
  return keys.reverse().filter(Boolean).join('.');
};

/**
 * The first string (a value or an object key) under `value` that cannot be stored, with
 * its path from `root` (`body.fields.note`). Iterative, so no depth overflows the stack;
 * Buffers (raw bodies) are skipped, and the work is bounded by the body size limits.
 */
export function findUnstorableText(value: unknown, root: string): UnstorableText | null {
  const stack: Visit[] = [{ value, parent: null, key: root }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const v = visit.value;
    if (typeof v === 'string') {
      const message = problemOf(v);
      if (message) return { path: pathOf(visit), message };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], parent: visit, key: String(i) });
    } else if (v !== null && typeof v === 'object' && !ArrayBuffer.isView(v)) {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i];
        const message = problemOf(key);
        if (message) return { path: pathOf({ value: null, parent: visit, key: printable(key) }), message: `key ${message}` };
        stack.push({ value: (v as Record<string, unknown>)[key], parent: visit, key });
      }
    }
  }
  return null;
}
