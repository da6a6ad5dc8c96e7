import type { FastifyInstance } from 'fastify';
import { AppError } from '../app/errors.ts';
import { findUnstorableText } from '../domain/storable-text.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * `off`: the route reads no client text it stores (tracking, unsubscribe, raw mail).
     * `query-only`: the use case checks the body's records one by one (bulk creation),
     * so that one bad record rejects only itself.
     */
    inputGuard?: 'off' | 'query-only';
  }
}

const KB = 1024;
const MB = 1024 * KB;

/**
 * The most each kind of route reads before answering 413. Fastify stops reading at the
 * limit (also for chunked bodies), so a large body costs no parsing.
 */
export const BODY_LIMITS = {
  /** Public tracking and unsubscribe routes: an RFC 8058 one-click body is `List-Unsubscribe=One-Click`. */
  public: 4 * KB,
  /** Ordinary JSON API routes. */
  json: 1 * MB,
  /** Cadences: up to 100 steps and 50 boosts of rich HTML. */
  cadence: 4 * MB,
  /** Up to 10,000 records or record ids (about 1.6 KB a lead record). */
  bulk: 16 * MB,
  /** One raw inbound message, attachments included (what most providers accept, too). */
  inbound: 10 * MB,
} as const;

export const formatBytes = (n: number) => (n >= MB ? `${Math.round((n / MB) * 10) / 10} MB` : `${Math.round(n / KB)} KB`);

/** JSON nested deeper than this is refused before it is parsed: no API shape comes near it. */
export const MAX_JSON_DEPTH = 64;

/**
 * One pass over a JSON text, without recursion: the path (its first three steps, e.g.
 * `body.fields.a`) of the first value nested deeper than `max`, or null. Strings are
 * skipped whole, so brackets inside them do not count; malformed text is left to the parser.
 */
export function tooDeepPath(text: string, max = MAX_JSON_DEPTH): string | null {
  // Per open container: an array's current index, or the start of an object's current key.
  const isArray: boolean[] = [];
  const at: number[] = [];
  let lastString = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      lastString = i;
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (isArray.length >= max) return describePath(text, isArray, at);
      isArray.push(c === 0x5b);
      at.push(c === 0x5b ? 0 : -1);
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      isArray.pop();
      at.pop();
    } else if (c === 0x3a /* : */ && at.length > 0) {
      at[at.length - 1] = lastString;
    } else if (c === 0x2c /* , */ && isArray[isArray.length - 1]) {
      at[at.length - 1]++;
    }
  }
  return null;
}

function describePath(text: string, isArray: boolean[], at: number[]): string {
  const steps = ['body'];
  for (let level = 0; level < Math.min(2, at.length); level++) {
    if (isArray[level]) steps.push(String(at[level]));
    else if (at[level] >= 0) steps.push(readKey(text, at[level]));
  }
  return steps.join('.');
}

// The key as written in the JSON text (escapes unread), at most 100 characters of it.
function readKey(text: string, start: number): string {
  let end = start + 1;
  for (; end < text.length; end++) {
    const d = text.charCodeAt(end);
    if (d === 0x5c) end++;
    else if (d === 0x22) break;
  }
  return text.slice(start + 1, Math.min(end, start + 101));
}

/**
 * The input checks every route shares: JSON depth (in the parser, before any recursion),
 * then NUL characters and lone surrogates anywhere in the body or query (400 naming the
 * field). Register before the routes, so their plugins inherit the parser.
 */
export function registerInputGuard(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string; // parseAs: 'string'
    const deep = tooDeepPath(text);
    if (deep) {
      const message = `nested deeper than ${MAX_JSON_DEPTH} levels`;
      done(new AppError('invalid_request', `${deep}: ${message}`, [{ path: deep, message }]), undefined);
      return;
    }
    parseJson(request, text, done);
  });

  app.addHook('preValidation', async (request) => {
    const mode = request.routeOptions.config?.inputGuard;
    if (mode === 'off') return;
    const hit = (mode === 'query-only' ? null : findUnstorableText(request.body, 'body')) ?? findUnstorableText(request.query, 'query');
    if (hit) throw new AppError('invalid_request', `${hit.path}: ${hit.message}`, [hit]);
  });
}
