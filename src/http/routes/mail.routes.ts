import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context.ts';
import { receiveInboundFrom } from '../../app/inbound.ts';
import { recordClick, recordOpen, unsubscribe, unsubscribeTarget } from '../../app/tracking.ts';
import { errors } from '../../contract/common.ts';
import { inboundResult } from '../../contract/signals.ts';
import { actorOf } from '../auth.ts';
import { BODY_LIMITS, formatBytes } from '../input-guard.ts';
import { z } from 'zod';

// The smallest transparent GIF.
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
// Any string: a token that is not one of ours is unknown, and the page says so (a pixel stays a pixel).
const tokenParams = z.object({ token: z.string() });
// Tokens are 24 base64url characters (advance.ts newToken); a click token adds `.linkIndex`.
const TOKEN = /^[A-Za-z0-9_-]{1,64}$/;
const CLICK_TOKEN = /^[A-Za-z0-9_-]{1,64}\.\d{1,5}$/;
const PUBLIC = { bodyLimit: BODY_LIMITS.public, config: { inputGuard: 'off' as const } };

/** Public pages answer HTML or a GIF, never JSON: documented by content type, never serialized. */
const html = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } });
const PAGE_NOT_FOUND = html('The token is not one of ours: a page that says the link is not valid');

/**
 * Where a click may be sent: an http(s) URL that is a safe Location header. A link that
 * holds control characters (CR/LF would split the header) is never redirected to; the
 * sender leaves such links untracked, and this also covers links stored before it did.
 */
export function redirectTarget(url: string): string | null {
  if (/[\u0000-\u001f\u007f]/.test(url)) return null;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
    return /^[\x21-\x7e]+$/.test(url) ? url : parsed.href; // href percent-encodes the rest
  } catch {
    return null;
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title: string, body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title>` +
  `<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}button{font-size:1rem;padding:.5rem 1rem}</style>` +
  `</head><body>${body}</body></html>`;

const notFoundPage = (what: string) => page('Not found', `<p>This ${what} is not valid.</p>`);

/**
 * What a public page answers for a URL the router cannot read (bad percent-encoding,
 * an over-long token): a pixel stays a pixel, a link or unsubscribe page says it is not valid.
 */
export function publicAnswerToBadUrl(url: string): { status: number; type: string; body: string | Buffer } | null {
  if (url.startsWith('/t/o/')) return { status: 200, type: 'image/gif', body: PIXEL };
  if (url.startsWith('/t/c/')) return { status: 404, type: 'text/html', body: notFoundPage('link') };
  if (url.startsWith('/u/')) return { status: 404, type: 'text/html', body: notFoundPage('unsubscribe link') };
  return null;
}

/** Inbound mail, tracking pixel and links, unsubscribe pages. */
export function mailRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.addContentTypeParser(['message/rfc822', 'text/plain'], { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, body));

    app.post('/api/inbound/email', {
      schema: {
        tags: ['inbound'],
        description: `A raw RFC 5322 message (Content-Type: message/rfc822), up to ${formatBytes(BODY_LIMITS.inbound)}.`,
        consumes: ['message/rfc822', 'text/plain'],
        response: { 202: inboundResult, ...errors(400, 401, 403, 413, 415) },
      },
      bodyLimit: BODY_LIMITS.inbound,
      config: { inputGuard: 'off' },
    }, async (req, reply) =>
      reply.status(202).send(await receiveInboundFrom(ctx, actorOf(req), Buffer.isBuffer(req.body) ? req.body : null)));

    await app.register(publicPages(ctx));
  };
}

/**
 * Public pages, reached from emails: a few KB of body at most, whatever its type (RFC
 * 8058 one-click POSTs are multipart/form-data or urlencoded), and the body is ignored.
 */
function publicPages(ctx: AppContext): FastifyPluginAsyncZod {
  return async (pub) => {
    pub.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, _body, done) => done(null, null));

    const open = {
      params: tokenParams, tags: ['tracking'], security: [],
      description: 'Open-tracking pixel: records an open (machine opens apart) and answers a 1×1 GIF, whatever the token.',
      response: { 200: { description: 'A transparent 1×1 GIF', content: { 'image/gif': { schema: z.any().meta({ format: 'binary' }) } } } },
    };
    pub.get('/t/o/:token', { schema: open, ...PUBLIC }, async (req, reply) => {
      if (TOKEN.test(req.params.token)) await recordOpen(ctx, req.params.token, req.headers['user-agent']);
      return reply.header('content-type', 'image/gif').header('cache-control', 'no-store, max-age=0').send(PIXEL);
    });

    const click = {
      params: tokenParams, tags: ['tracking'], security: [],
      description: 'Click tracking: records a click and redirects only to the link that was sent.',
      response: { 302: z.null().describe('Redirect (Location) to the link that was sent'), 404: PAGE_NOT_FOUND },
    };
    pub.get('/t/c/:token', { schema: click, ...PUBLIC }, async (req, reply) => {
      const url = CLICK_TOKEN.test(req.params.token) ? await recordClick(ctx, req.params.token, req.headers['user-agent']) : null;
      const target = url === null ? null : redirectTarget(url);
      if (!target) return reply.status(404).type('text/html').send(notFoundPage('link'));
      return reply.redirect(target, 302);
    });

    // GET never unsubscribes: link scanners fetch every link in a message.
    const unsubscribePage = (description: string, ok: string) => ({
      params: tokenParams, tags: ['tracking'], security: [], description,
      response: { 200: html(ok), 404: PAGE_NOT_FOUND },
    });
    pub.get('/u/:token', { schema: unsubscribePage('The unsubscribe page: asks, never unsubscribes.', 'A page with an Unsubscribe button'), ...PUBLIC }, async (req, reply) => {
      const target = TOKEN.test(req.params.token) ? await unsubscribeTarget(ctx, req.params.token) : null;
      if (!target) return reply.status(404).type('text/html').send(notFoundPage('unsubscribe link'));
      return reply.type('text/html').send(page('Unsubscribe',
        `<h1>Unsubscribe</h1><p>Stop emails to <strong>${escapeHtml(target.email)}</strong>?</p>` +
        `<form method="post"><button type="submit">Unsubscribe</button></form>`));
    });

    // The form's target and the RFC 8058 one-click target.
    pub.post('/u/:token', {
      schema: unsubscribePage('Unsubscribes (the page\'s form and the RFC 8058 one-click target); any body is ignored.', 'A page saying the address is unsubscribed'),
      ...PUBLIC,
    }, async (req, reply) => {
      const done = TOKEN.test(req.params.token) && await unsubscribe(ctx, req.params.token);
      if (!done) return reply.status(404).type('text/html').send(notFoundPage('unsubscribe link'));
      return reply.type('text/html').send(page('Unsubscribed', '<h1>You are unsubscribed</h1><p>You will receive no more emails from us.</p>'));
    });
  };
}
