import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { routes, type RouteDef } from 'cadenza/client';
import { buildServer } from '../../src/http/server.ts';
import { startHarness, type Harness } from '../support/harness.ts';

/**
 * The typed client's route map (src/contract/routes.ts) and the server agree: every /api
 * route the server registers is in the map with its method and path, nothing else is,
 * and each entry's schemas are the ones the route declares. A route added, moved or
 * reshaped without the map fails here, not in a user's code.
 */

/** Routes that are not part of the client: the OpenAPI document describes the others. */
const NOT_IN_CLIENT = new Set(['GET /api/openapi.json']);

type Schema = z.ZodType;

/** What the route declares for one success status: a schema, or `{content: {type: {schema}}}` (CSV). */
function schemaOf(declared: unknown): Schema | undefined {
  if (declared instanceof z.ZodType) return declared;
  const content = (declared as { content?: Record<string, { schema?: unknown }> } | undefined)?.content;
  const first = content && Object.values(content)[0]?.schema;
  return first instanceof z.ZodType ? first : undefined;
}

/**
 * Two schemas are the same when they are one object, or when they validate the same
 * JSON (a `.describe()`d or `.nullish()` copy made where the route is declared).
 */
function sameSchema(a: Schema | undefined, b: Schema | undefined, io: 'input' | 'output'): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const json = (s: Schema) => {
    const { description: _, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Record<string, unknown>;
    return JSON.stringify(rest);
  };
  return json(a) === json(b);
}

const entries = Object.entries(routes).flatMap(([group, operations]) =>
  Object.entries(operations as Record<string, RouteDef>).map(([name, def]) => ({ name: `${group}.${name}`, def })));
const key = (def: { method: string; path: string }) => `${def.method} ${def.path}`;

describe('the typed client\'s route map and the server', () => {
  let h: Harness;
  const served = new Map<string, RouteOptions>();

  beforeAll(async () => {
    h = await startHarness('pglite');
    // The server as `cadenza serve` builds it with the manual clock (so /api/dev/clock exists).
    const app = await buildServer(h.ctx, {
      manualClock: h.clock,
      engine: h.engine,
      onRoute: (route) => {
        for (const method of [route.method].flat()) {
          if (method !== 'HEAD' && route.url.startsWith('/api/')) served.set(`${method} ${route.url}`, route);
        }
      },
    });
    await app.ready();
    await app.close();
  }, 120_000);
  afterAll(async () => h?.close());

  it('have the same routes: every /api route is one method of the client, and every method a route', () => {
    const inMap = entries.map((e) => key(e.def)).sort();
    const onServer = [...served.keys()].filter((k) => !NOT_IN_CLIENT.has(k)).sort();
    expect(inMap).toEqual(onServer);
    expect(new Set(inMap).size, 'two methods for one route').toBe(inMap.length);
  });

  it.each(entries)('$name answers what the route declares, with the same success statuses and schemas', ({ def }) => {
    const route = served.get(key(def));
    if (!route) return; // reported by the test above
    const declared = (route.schema?.response ?? {}) as Record<string, unknown>;
    const successes = Object.keys(declared).filter((status) => Number(status) < 400).sort();
    expect(Object.keys(def.responses).sort()).toEqual(successes);
    for (const status of successes) {
      const schema = schemaOf(declared[status]);
      expect(sameSchema(def.responses[Number(status)], schema, 'output'), `${key(def)} ${status}`).toBe(true);
      const isText = !(declared[status] instanceof z.ZodType);
      expect(Boolean(def.text), `${key(def)} ${status} answers ${isText ? 'text' : 'JSON'}`).toBe(isText);
    }
  });

  it.each(entries)('$name takes what the route takes: path parameters, query and body', ({ def }) => {
    const route = served.get(key(def));
    if (!route) return;
    const schema = (route.schema ?? {}) as { params?: Schema; querystring?: Schema; body?: Schema; consumes?: string[] };
    expect(sameSchema(def.params, schema.params, 'input'), `${key(def)} params`).toBe(true);
    expect(sameSchema(def.query, schema.querystring, 'input'), `${key(def)} query`).toBe(true);
    expect(sameSchema(def.body, schema.body, 'input'), `${key(def)} body`).toBe(true);
    if (def.rawBody) expect(schema.body, `${key(def)} takes a raw body`).toBeUndefined();
    if (def.rawBody && schema.consumes) expect(schema.consumes).toContain(def.rawBody);
  });

  it.each(entries)('$name names each path parameter in its params schema, none called query or body', ({ def }) => {
    const inPath = [...def.path.matchAll(/:(\w+)/g)].map((m) => m[1]).sort();
    const shape = def.params instanceof z.ZodObject ? Object.keys(def.params.shape).sort() : [];
    expect(shape).toEqual(inPath);
    expect(inPath.filter((p) => p === 'query' || p === 'body')).toEqual([]);
  });
});
