export { outboxKeys, outboxQuery, useOutbox } from './outbox.queries.ts';
