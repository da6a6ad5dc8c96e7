import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The web app (web/, built to web/dist by `npm run build:web`) on the API's origin:
 * - /assets/*: content-hashed files, cached for a year (`immutable`: a new build has new names);
 * - index.html at `/` and at any other page address a browser asks for (Accept: text/html),
 *   never cached, so a new build is picked up on the next visit;
 * - /api/*, tracking (/t/*), unsubscribe (/u/*) and /metrics keep their own answers: an
 *   unknown /api path stays a JSON 404.
 */

/** Scripts, styles, fonts, images and API calls from this origin only; no framing. */
export const WEB_APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // Radix's scroll lock (react-remove-scroll) writes a <style> element while a dialog is
  // open; inline styles cannot run code, inline scripts stay refused.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Paths that are never a page of the web app. */
const NOT_PAGES = /^\/(api|t|u|assets)(\/|$)|^\/metrics$/;

/** web/dist of this checkout, from src/http (tsx) or dist/src/http (the compiled build). */
export function defaultWebDist(from = import.meta.dirname): string {
  let dir = from;
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'web', 'package.json'))) return join(dir, 'web', 'dist');
    dir = dirname(dir);
  }
  return resolve(from, '..', '..', 'web', 'dist');
}

const NOT_BUILT_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Cadenza: the web app is not built</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222;line-height:1.5}code{background:#f2f2f2;padding:.1rem .3rem;border-radius:3px}</style>
</head><body><h1>The web app is not built</h1>
<p>This server answers the API under <code>/api</code>, but <code>web/dist</code> is missing.
Build the web app with <code>npm run build:web</code> (<code>npm install</code> and <code>npm start</code> do it for you), then reload this page.</p>
</body></html>`;

export interface WebAppOptions {
  /** The built web app (default: web/dist of this checkout). */
  webDist?: string;
}

/**
 * Called on the root instance (not registered as a plugin): the page fallback is an
 * onRequest hook for requests the router sent to the 404 handler, so it never takes a
 * request from a route, and the router's own refusals (an over-long or undecodable path
 * segment under /t/, /u/ or /api/) keep their answers.
 */
export async function registerWebApp(app: FastifyInstance, opts: WebAppOptions = {}): Promise<void> {
  const dist = opts.webDist ?? defaultWebDist();

  await app.register(fastifyStatic, {
    root: join(dist, 'assets'),
    prefix: '/assets/',
    // Names carry a content hash: a changed file is a new URL, so a year without revalidation is safe.
    cacheControl: true,
    maxAge: '365d',
    immutable: true,
    etag: false,
    lastModified: false,
    index: false,
    wildcard: true,
  });

  // Read on each visit (a few hundred bytes): a rebuild while the server runs is served at once.
  const sendIndex = async (reply: FastifyReply) => {
    const html = await readFile(join(dist, 'index.html'), 'utf8').catch(() => null);
    if (html === null) {
      return reply.status(503).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(NOT_BUILT_PAGE);
    }
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('content-security-policy', WEB_APP_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'same-origin')
      .send(html);
  };

  app.get('/', { schema: { hide: true }, config: { inputGuard: 'off' } }, async (_req, reply) => sendIndex(reply));
  // The app's own addresses (/today, /leads/…): the browser loads index.html, the router shows the page.
  app.addHook('onRequest', async (request: FastifyRequest, reply) => {
    if (!request.is404 || (request.method !== 'GET' && request.method !== 'HEAD')) return;
    const path = request.url.split('?')[0];
    if (NOT_PAGES.test(path) || !(request.headers.accept ?? '').includes('text/html')) return;
    await sendIndex(reply);
    return reply;
  });
}
