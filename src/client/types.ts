import type { z } from 'zod';
import type { Routes } from '../contract/routes.ts';

/** The types of the typed client, all derived from the route map (src/contract/routes.ts). */

type Empty = Record<never, never>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** A body that is not JSON: a CSV file, a raw RFC 5322 message, a provider's signed webhook. */
export type RawBody = string | Uint8Array | Blob;

type ParamsIn<R> = R extends { params: infer P extends z.ZodType } ? z.input<P> : Empty;
type QueryIn<R> = R extends { query: infer Q extends z.ZodType }
  ? Empty extends z.input<Q> ? { query?: z.input<Q> } : { query: z.input<Q> }
  : Empty;
type BodyIn<R> = R extends { body: infer B extends z.ZodType }
  ? undefined extends z.input<B> ? { body?: z.input<B> } : { body: z.input<B> }
  : R extends { rawBody: string } ? { body: RawBody } : Empty;

/** What a route takes: its path parameters by name, `query` and `body`. */
export type RouteInput<R> = Simplify<ParamsIn<R> & QueryIn<R> & BodyIn<R>>;

/** What a route answers on success: any of its success statuses' bodies (`null` for a 204, text for CSV). */
export type RouteOutput<R> = R extends { responses: infer S }
  ? { [K in keyof S]: S[K] extends z.ZodType ? z.output<S[K]> : never }[keyof S]
  : never;

/** Per call: more headers (a provider's signature), an abort signal, validation on or off. */
export interface CallOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  validate?: boolean;
}

export type RouteMethod<R> = Empty extends RouteInput<R>
  ? (input?: RouteInput<R>, options?: CallOptions) => Promise<RouteOutput<R>>
  : (input: RouteInput<R>, options?: CallOptions) => Promise<RouteOutput<R>>;

/** `client.leads.create({ body })`, `client.leads.get({ id })`, `client.tasks.list({ query })`: one method per route. */
export type CadenzaClient = { [G in keyof Routes]: { [O in keyof Routes[G]]: RouteMethod<Routes[G][O]> } };

/** The input and the answer of one route, by group and name: `Answer<'leads', 'create'>` is a lead. */
export type Input<G extends keyof Routes, O extends keyof Routes[G]> = RouteInput<Routes[G][O]>;
export type Answer<G extends keyof Routes, O extends keyof Routes[G]> = RouteOutput<Routes[G][O]>;
