/**
 * The API contract: zod schemas of every request and response and the shared enums.
 * No IO: the server validates and documents with it, the web app imports it.
 */
export * from './common.ts';
export * from './enums.ts';
export * from './cadences.ts';
export * from './leads.ts';
export * from './users.ts';
export * from './sessions.ts';
export * from './enrollments.ts';
export * from './tasks.ts';
export * from './emails.ts';
export * from './signals.ts';
export * from './organization.ts';
export * from './ops.ts';
export * from './timeline.ts';
export * from './manual-email.ts';
export * from './task-bulk.ts';
export * from './merge-fields.ts';
export * from './lead-import.ts';
export * from './webhooks.ts';
