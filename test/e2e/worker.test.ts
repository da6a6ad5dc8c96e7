import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChildServer, type ChildServer } from '../support/child-server.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

// Separate workers share a database server: PostgreSQL only.
describe.runIf(!!process.env.DATABASE_URL)('cadenza worker beside an API-only serve', () => {
  let server: ChildServer;
  beforeAll(async () => {
    server = await startChildServer('postgres', { CADENZA_ENGINE: '0' });
  });
  afterAll(() => server?.stop());

  it('the API alone runs nothing; a worker process executes what is due', async () => {
    const lead = await server.call('POST', '/api/leads', { email: 'w@example.com', firstName: 'W' });
    const cadence = await server.call('POST', '/api/cadences', {
      name: 'Now', schedule: { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59', timezone: 'UTC' },
      steps: [{ type: 'email', subject: 'Hi {{lead.firstName}}', body: 'Hello' }, { type: 'task', delayDays: 1, title: 'Later' }],
    });
    await server.call('POST', `/api/cadences/${cadence.body.id}/activate`);
    const enrolled = await server.call('POST', `/api/cadences/${cadence.body.id}/enrollments`, { recordIds: [lead.body.id] });
    const enrollmentId = enrolled.body.enrolled[0].id;
    expect((await server.call('GET', `/api/emails?enrollmentId=${enrollmentId}`)).body.items).toHaveLength(0);

    const { stdout } = await run(process.execPath, [join(ROOT, 'bin/cadenza.mjs'), 'worker', '--once'], {
      cwd: ROOT, env: { ...process.env, ...server.env, CADENZA_DEV_OUTBOX: '1' }, // no SMTP_URL: the outbox, on purpose
    });
    expect(stdout).toMatch(/advanced \d+ enrolments/);
    const emails = (await server.call('GET', `/api/emails?enrollmentId=${enrollmentId}`)).body.items;
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({ status: 'sent', subject: 'Hi W' });
    const e = (await server.call('GET', `/api/enrollments/${enrollmentId}`)).body;
    expect(e.status).toBe('active');
    expect(Date.parse(e.nextDueAt)).toBeGreaterThan(Date.now() + 23 * 3600_000);
  });
});
