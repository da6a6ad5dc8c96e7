/**
 * The API contract: zod schemas of every request and response and the shared enums.
 * No IO: the server validates and documents with it, the web app imports it.
 */
export * from './common.ts';
export * from './enums.ts';
