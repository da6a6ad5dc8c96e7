import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/app/clock.ts';
import { createContext } from '../../src/app/context.ts';
import { buildServer } from '../../src/http/server.ts';
import { freshDatabase } from '../support/backends.ts';
import type { Database } from '../../src/store/database.ts';
import type { FastifyInstance } from 'fastify';

/**
 * The OpenAPI document is the contract's mirror: every operation says what it answers
 * on success and, in the error shape, what it answers for bad input (400), for a
 * missing caller (401) and for an id that names nothing (404).
 */

type Schema = { type?: string; properties?: Record<string, Schema>; required?: string[]; $ref?: string };
type Response = { description?: string; content?: Record<string, { schema?: Schema }> };
type Operation = {
  parameters?: Array<{ in: string; name: string }>;
  requestBody?: unknown;
  security?: unknown[];
  responses?: Record<string, Response>;
};

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

function isErrorShape(res: Response | undefined): boolean {
  const schema = res?.content?.['application/json']?.schema;
  const error = schema?.properties?.error;
  return !!error && !!schema?.required?.includes('error')
    && !!error.properties?.code && !!error.properties?.message
    && !!error.required?.includes('code') && !!error.required?.includes('message');
}

describe('GET /api/openapi.json', () => {
  let database: Database;
  let app: FastifyInstance;
  let doc: { paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>; security?: unknown[] };

  beforeAll(async () => {
    database = await freshDatabase('pglite');
    const clock = new ManualClock(new Date('2026-03-02T08:00:00Z'));
    // The manual clock, so that the dev clock route is documented too.
    app = await buildServer(createContext(database.db, clock, { publicUrl: 'http://cadenza.test', smtpUrl: null }), { manualClock: clock });
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    doc = res.json();
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  const operations = () => Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((m) => ({ name: `${m.toUpperCase()} ${path}`, path, op: item[m]! })));

  it('documents the API\'s routes, the public pages and /metrics', () => {
    const names = operations().map((o) => o.name);
    expect(names.length).toBeGreaterThan(40);
    for (const route of [
      'POST /api/cadences', 'PATCH /api/cadences/{id}', 'GET /api/tasks', 'POST /api/signals', 'PATCH /api/users/{id}',
      'GET /t/o/{token}', 'GET /t/c/{token}', 'GET /u/{token}', 'POST /u/{token}', 'GET /metrics', 'POST /api/dev/clock',
    ]) expect(names).toContain(route);
  });

  it('every operation has a success response, and the error shape for 400, 401 and 404 where they can happen', () => {
    const missing: string[] = [];
    for (const { name, path, op } of operations()) {
      const responses = op.responses ?? {};
      const statuses = Object.keys(responses);
      if (!statuses.some((s) => /^[23]\d\d$/.test(s))) missing.push(`${name}: no success response`);
      const takesInput = op.requestBody !== undefined || (op.parameters ?? []).some((p) => p.in === 'query');
      const needsAuth = (op.security ?? doc.security ?? []).length > 0;
      const hasId = /\{id\}/.test(path);
      const wanted = [...(takesInput ? ['400'] : []), ...(needsAuth ? ['401'] : []), ...(hasId ? ['404'] : [])];
      for (const status of wanted) {
        if (!isErrorShape(responses[status])) missing.push(`${name}: ${status} without the error shape`);
      }
      // Every documented 4xx/5xx in JSON is the error shape.
      for (const status of statuses.filter((s) => /^[45]/.test(s))) {
        const json = responses[status].content?.['application/json'];
        if (json && !isErrorShape(responses[status])) missing.push(`${name}: ${status} is JSON but not the error shape`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('the public pages say what they answer: a GIF, a redirect, HTML', () => {
    const pixel = doc.paths['/t/o/{token}'].get!;
    expect(Object.keys(pixel.responses!['200'].content!)).toEqual(['image/gif']);
    expect(doc.paths['/t/c/{token}'].get!.responses!['302']).toBeDefined();
    expect(Object.keys(doc.paths['/u/{token}'].get!.responses!['200'].content!)).toEqual(['text/html']);
    expect(Object.keys(doc.paths['/metrics'].get!.responses!['200'].content!)).toEqual(['text/plain']);
  });

  it('a step is a tagged union by type', () => {
    const body = JSON.stringify(doc.paths['/api/cadences'].post!.requestBody);
    expect(body).toMatch(/"discriminator"|"oneOf"|"anyOf"/);
    for (const type of ['email', 'call', 'task']) expect(body).toContain(`"${type}"`);
  });
});
