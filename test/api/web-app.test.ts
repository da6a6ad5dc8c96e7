import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/app/clock.ts';
import { createContext } from '../../src/app/context.ts';
import { buildServer } from '../../src/http/server.ts';
import { defaultWebDist } from '../../src/http/web-app.ts';
import type { Database } from '../../src/store/database.ts';
import { BACKENDS, freshDatabase } from '../support/backends.ts';
import { expectError } from './helpers.ts';

/** The web app served by `cadenza serve` at / (issue 12): a stand-in build in a scratch web/dist. */

const INDEX = '<!doctype html><html><head><script type="module" src="/assets/index-AbC123.js"></script></head><body><div id="root"></div></body></html>';
const SCRIPT = 'console.log("cadenza")';
const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe.each(BACKENDS)('the web app on %s', (backend) => {
  let database: Database;
  let app: FastifyInstance;
  let bare: FastifyInstance;
  let dist: string;

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'cadenza-web-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), INDEX);
    writeFileSync(join(dist, 'assets', 'index-AbC123.js'), SCRIPT);
    database = await freshDatabase(backend);
    const ctx = createContext(database.db, new ManualClock(new Date('2026-03-02T08:00:00Z')), { publicUrl: 'http://cadenza.test', smtpUrl: null });
    app = await buildServer(ctx, { webDist: dist });
    bare = await buildServer(ctx, { webDist: join(dist, 'not-built') });
  });
  afterAll(async () => {
    await app.close();
    await bare.close();
    await database.close();
    rmSync(dist, { recursive: true, force: true });
  });

  const get = (url: string, headers: InjectOptions['headers'] = {}, server = app) => server.inject({ method: 'GET', url, headers });

  it('answers / with index.html, never cached, under a self-only Content-Security-Policy', async () => {
    for (const headers of [HTML, {}]) {
      const res = await get('/', headers);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toBe(INDEX);
      expect(res.headers['cache-control']).toBe('no-cache');
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
      expect(csp).toContain("frame-ancestors 'none'");
    }
  });

  it('serves hashed assets for a year, immutable', async () => {
    const res = await get('/assets/index-AbC123.js');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.body).toBe(SCRIPT);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('answers a page address of the app (a reload on /leads/…) with index.html', async () => {
    for (const url of ['/today', '/leads/5d0c8f9e-1b2a-4c3d-9e8f-0a1b2c3d4e5f?tab=timeline', '/admin/users', '/sign-in?redirect=%2Ftoday']) {
      const res = await get(url, HTML);
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toBe(INDEX);
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('keeps the JSON 404 for unknown API paths, missing assets and non-browser requests', async () => {
    const unknownApi = await get('/api/nothing-here', { ...HTML, authorization: 'Bearer nope' });
    expectError({ status: unknownApi.statusCode, body: unknownApi.json() }, 401, 'unauthorized');
    const missingAsset = await get('/assets/index-Old999.js', HTML);
    expectError({ status: missingAsset.statusCode, body: missingAsset.json() }, 404, 'not_found');
    const notHtml = await get('/today', { accept: 'application/json' });
    expectError({ status: notHtml.statusCode, body: notHtml.json() }, 404, 'not_found');
    const post = await app.inject({ method: 'POST', url: '/today', headers: { ...HTML, 'content-type': 'application/json' }, payload: {} });
    expectError({ status: post.statusCode, body: post.json() }, 404, 'not_found');
    // The router's own refusals keep their answers: an over-long link token is the link's 404 page, an API id a 414.
    const longLink = await get(`/t/c/${'a'.repeat(99)}.0`, HTML);
    expect(longLink.statusCode).toBe(404);
    expect(longLink.body).not.toBe(INDEX);
    expect(longLink.body).toContain('not valid');
    const longId = await get(`/api/leads/${'a'.repeat(300)}`, HTML);
    expectError({ status: longId.statusCode, body: longId.json() }, 414, 'uri_too_long');
  });

  it('leaves the API, the tracking and unsubscribe pages and the OpenAPI document as they were', async () => {
    const setup = await get('/api/setup', HTML);
    expect(setup.statusCode).toBe(200);
    expect(setup.json()).toEqual({ needed: true });
    const pixel = await get('/t/o/unknown-token', HTML);
    expect(pixel.headers['content-type']).toBe('image/gif');
    const unsubscribe = await get('/u/unknown-token', HTML);
    expect(unsubscribe.statusCode).toBe(404);
    expect(unsubscribe.body).not.toBe(INDEX);
    const openapi = await get('/api/openapi.json');
    const paths = Object.keys(openapi.json().paths);
    expect(paths.some((p) => p === '/' || p.startsWith('/assets') || p === '/*')).toBe(false);
  });

  it('without a build, / says how to build the web app, and the API still answers', async () => {
    const res = await get('/', HTML, bare);
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('npm run build:web');
    expect(res.headers['cache-control']).toBe('no-store');
    expect((await get('/today', HTML, bare)).body).toContain('npm run build:web');
    expect((await get('/api/setup', {}, bare)).statusCode).toBe(200);
  });

  it('finds web/dist of the checkout from the sources and from the compiled build', () => {
    const root = join(import.meta.dirname, '..', '..');
    expect(defaultWebDist(join(root, 'src', 'http'))).toBe(join(root, 'web', 'dist'));
    expect(defaultWebDist(join(root, 'dist', 'src', 'http'))).toBe(join(root, 'web', 'dist'));
  });
});
