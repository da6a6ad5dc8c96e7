import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookSecret } from '../../src/webhooks/standard-webhooks.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';
import { runCli } from './run-cli.ts';

// A worker delivers webhooks beside the engine; CADENZA_WEBHOOKS=0 leaves them to others.
// On PostgreSQL only: a worker needs DATABASE_URL (the embedded database is serve's alone).
describe.runIf(!!process.env.DATABASE_URL)('cadenza worker and webhooks', () => {
  const url = process.env.DATABASE_URL!;
  const schema = `cli_wh_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const env = { DATABASE_URL: url, DATABASE_SCHEMA: schema, CADENZA_DEV_OUTBOX: '1' };
  const receiver = new WebhookReceiver();
  const secret = webhookSecret(randomBytes(32));
  const db = new pg.Client({ connectionString: url });

  beforeAll(async () => {
    await receiver.start();
    const migrate = await runCli(['migrate'], env);
    expect(migrate.code, migrate.stderr).toBe(0);
    await db.connect();
    await db.query(`set search_path to ${schema}`);
    await db.query(`insert into webhook_endpoints (id, url, events, secret, created_at, updated_at)
      values ($1, $2, '{task.created}', $3, now(), now())`, [randomUUID(), receiver.url('hooks'), secret]);
  }, 180_000);
  afterAll(async () => {
    await db.query(`drop schema if exists ${schema} cascade`);
    await db.end();
    await receiver.stop();
  });

  const due = async () => {
    const id = `msg_${randomUUID().replace(/-/g, '')}`;
    await db.query(`insert into webhook_messages (id, type, at, data) values ($1, 'task.created', now() - interval '1 minute', '{"taskId":"t"}')`, [id]);
    await db.query(`insert into webhook_deliveries (message_id, endpoint_id, next_attempt_at, created_at)
      select $1, id, now() - interval '1 minute', now() from webhook_endpoints`, [id]);
    return id;
  };

  it('worker --once delivers what is due, signed; with CADENZA_WEBHOOKS=0 it sends none', async () => {
    const off = await due();
    const skipped = await runCli(['worker', '--once'], { ...env, CADENZA_WEBHOOKS: '0' });
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(receiver.of('hooks')).toHaveLength(0);

    const run = await runCli(['worker', '--once'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/1 webhook attempts \(1 delivered\)/);
    const [req] = receiver.of('hooks');
    expect(req.headers['webhook-id']).toBe(off);
    expect(new Webhook(secret).verify(req.body, req.headers)).toMatchObject({ type: 'task.created', data: { taskId: 't' } });
    const { rows } = await db.query(`select status from webhook_deliveries`);
    expect(rows).toEqual([{ status: 'delivered' }]);
  }, 240_000);
});
