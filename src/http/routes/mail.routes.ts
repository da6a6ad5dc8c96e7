import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context.ts';
import { receiveInbound } from '../../app/inbound.ts';
import { recordClick, recordOpen, unsubscribe, unsubscribeTarget } from '../../app/tracking.ts';
import { invalid } from '../../app/errors.ts';
import { requireAdmin } from '../auth.ts';
import { z } from 'zod';

// The smallest transparent GIF.
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const tokenParams = z.object({ token: z.string().max(200) });

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title: string, body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title>` +
  `<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}button{font-size:1rem;padding:.5rem 1rem}</style>` +
  `</head><body>${body}</body></html>`;

/** Inbound mail, tracking pixel and links, unsubscribe pages. */
export function mailRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.addContentTypeParser(['message/rfc822', 'text/plain'], { parseAs: 'buffer', bodyLimit: 32 * 1024 * 1024 }, (_req, body, done) => done(null, body));
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, body));

    app.post('/api/inbound/email', { schema: { tags: ['inbound'], description: 'A raw RFC 5322 message (Content-Type: message/rfc822).' } }, async (req, reply) => {
      requireAdmin(req);
      if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
        throw invalid('send the raw message with Content-Type: message/rfc822');
      }
      return reply.status(202).send(await receiveInbound(ctx, req.body));
    });

    app.get('/t/o/:token', { schema: { params: tokenParams, hide: true } }, async (req, reply) => {
      await recordOpen(ctx, req.params.token, req.headers['user-agent']);
      return reply.header('content-type', 'image/gif').header('cache-control', 'no-store, max-age=0').send(PIXEL);
    });

    app.get('/t/c/:token', { schema: { params: tokenParams, hide: true } }, async (req, reply) => {
      const url = await recordClick(ctx, req.params.token, req.headers['user-agent']);
      if (!url) return reply.status(404).type('text/html').send(page('Link not found', '<p>This link is not valid.</p>'));
      return reply.redirect(url, 302);
    });

    // GET never unsubscribes: link scanners fetch every link in a message.
    app.get('/u/:token', { schema: { params: tokenParams, hide: true } }, async (req, reply) => {
      const target = await unsubscribeTarget(ctx, req.params.token);
      if (!target) return reply.status(404).type('text/html').send(page('Not found', '<p>This unsubscribe link is not valid.</p>'));
      return reply.type('text/html').send(page('Unsubscribe',
        `<h1>Unsubscribe</h1><p>Stop emails to <strong>${escapeHtml(target.email)}</strong>?</p>` +
        `<form method="post"><button type="submit">Unsubscribe</button></form>`));
    });

    // The form's target and the RFC 8058 one-click target.
    app.post('/u/:token', { schema: { params: tokenParams, hide: true } }, async (req, reply) => {
      const done = await unsubscribe(ctx, req.params.token);
      if (!done) return reply.status(404).type('text/html').send(page('Not found', '<p>This unsubscribe link is not valid.</p>'));
      return reply.type('text/html').send(page('Unsubscribed', '<h1>You are unsubscribed</h1><p>You will receive no more emails from us.</p>'));
    });
  };
}
