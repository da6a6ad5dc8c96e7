import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/app/clock.ts';
import { createContext } from '../../src/app/context.ts';
import { createDemoWorkspace, describeDemo } from '../../src/app/demo.ts';
import { Engine, defaultEngineOptions } from '../../src/engine/engine.ts';
import { buildServer } from '../../src/http/server.ts';
import type { Database } from '../../src/store/database.ts';
import { BACKENDS, freshDatabase } from '../support/backends.ts';

const PUBLIC_URL = 'http://cadenza.test';
const DAY = 24 * 3_600_000;

/**
 * The demo workspace as a newcomer meets it (issue 12): whatever day it is started,
 * the printed users sign in and each rep's Today has work in it, with a past behind it.
 * The reps work in New York and London; each instant falls on the same weekday in both.
 */
const STARTS = [
  // Saturday 10:00 in New York, 15:00 in London.
  ['a Saturday', '2026-03-07T15:00:00Z'],
  // Sunday 09:30 in New York (the first day of summer time there), 13:30 in London.
  ['a Sunday', '2026-03-08T13:30:00Z'],
  // Wednesday 01:00 in New York, 05:00 in London: before either's working day begins.
  ['a Wednesday before dawn', '2026-03-11T06:00:00Z'],
] as const;

describe.each(BACKENDS)('the demo workspace on %s', (backend) => {
  describe.each(STARTS)('started on %s', (_day, start) => {
    let database: Database;
    let app: FastifyInstance;
    let engine: Engine;
    let printed: string[];
    let adminToken: string;
    const now = new Date(start);

    beforeAll(async () => {
      database = await freshDatabase(backend);
      const clock = new ManualClock(now);
      const ctx = createContext(database.db, clock, { publicUrl: PUBLIC_URL, smtpUrl: null });
      const demo = await createDemoWorkspace(ctx);
      printed = describeDemo(demo, PUBLIC_URL);
      adminToken = demo.adminToken;
      engine = new Engine(ctx, defaultEngineOptions('demo-test'));
      app = await buildServer(ctx, { manualClock: clock, engine });
      expect(clock.now().toISOString()).toBe(now.toISOString());
    }, 120_000);
    afterAll(async () => {
      await app?.close();
      await engine?.stop();
      await database?.close();
    });

    /** The users the demo printed: role, email, password. */
    const credentials = () => printed.flatMap((line) => {
      const m = /^\s+(admin|rep)\s+(\S+@\S+)\s+password (\S+)/.exec(line);
      return m ? [{ role: m[1], email: m[2], password: m[3] }] : [];
    });

    async function signIn(email: string, password: string): Promise<string> {
      const res = await app.inject({
        method: 'POST', url: '/api/session', headers: { origin: PUBLIC_URL, 'content-type': 'application/json' },
        payload: JSON.stringify({ email, password }),
      });
      expect(res.statusCode, res.body).toBe(200);
      const cookie = [res.headers['set-cookie']].flat().find((c) => c?.startsWith('cadenza_session='));
      expect(cookie).toBeDefined();
      return cookie!.split(';')[0];
    }

    const get = async (url: string, headers: Record<string, string>) => {
      const res = await app.inject({ method: 'GET', url, headers });
      expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
      return res.json();
    };
    const asAdmin = () => ({ authorization: `Bearer ${adminToken}` });

    it('prints an admin and two reps whose passwords sign in, and the admin token', async () => {
      const users = credentials();
      expect(users.map((u) => u.role)).toEqual(['admin', 'rep', 'rep']);
      for (const u of users) {
        const me = await get('/api/users/me', { cookie: await signIn(u.email, u.password) });
        expect(me.email).toBe(u.email);
        expect(me.role).toBe(u.role);
      }
      expect(printed.join('\n')).toContain(`Admin token (shown once): ${adminToken}`);
      expect((await get('/api/cadences', asAdmin())).items).toHaveLength(2);
    });

    it('gives each rep a day of work: calls due today, a hot lead first with its reason, a manual email to send, and some overdue', async () => {
      for (const rep of credentials().filter((u) => u.role === 'rep')) {
        const cookie = await signIn(rep.email, rep.password);
        const today = (await get('/api/tasks?due=today&sort=priority&status=open', { cookie })).items as any[];
        expect(today.length, rep.email).toBeGreaterThanOrEqual(3);
        expect(today[0].hot, JSON.stringify(today[0])).toBe(true);
        expect(['clicked', 'replied', 'boost']).toContain(today[0].hotReason);
        expect(today.filter((t) => t.type === 'call').length).toBeGreaterThanOrEqual(3);
        const manual = today.find((t) => t.type === 'email');
        expect(manual, JSON.stringify(today.map((t) => t.title))).toBeDefined();
        expect(manual.subject).toMatch(/^Idea for /);
        expect(manual.lead.name).toBeTruthy();
        expect(manual.cadence.name).toBe('Re-engage: quiet leads');
        // Ready to send: its draft renders for the lead with every merge field filled.
        const draft = await get(`/api/tasks/${manual.id}/draft`, { cookie });
        expect(draft.missing).toEqual([]);
        expect(draft.to).toBe(manual.lead.email);
        // Exactly the target URL answers the same day.
        const plain = (await get('/api/tasks?due=today&sort=priority', { cookie })).items as any[];
        expect(plain.filter((t) => t.status === 'open').map((t) => t.id)).toEqual(today.map((t) => t.id));
        const overdue = (await get('/api/tasks?due=overdue&status=open', { cookie })).items as any[];
        expect(overdue.length).toBeGreaterThanOrEqual(2);
      }
    });

    it('has a past: emails sent days ago and opened (by people and by proxies), a click, a reply that ended an enrolment, call outcomes, a skipped call', async () => {
      const emails = (await get('/api/emails?status=sent&limit=1000', asAdmin())).items as any[];
      const daysAgo = emails.map((e) => (now.getTime() - Date.parse(e.sentAt)) / DAY);
      expect(daysAgo.filter((d) => d >= 2).length).toBeGreaterThanOrEqual(10);
      expect(Math.min(...daysAgo)).toBeGreaterThanOrEqual(0);

      const cadences = (await get('/api/cadences', asAdmin())).items as any[];
      const outbound = cadences.find((c) => c.name === 'Outbound: new leads');
      const stats = await get(`/api/cadences/${outbound.id}/stats`, asAdmin());
      const [first, call] = stats.steps;
      expect(first.sent).toBeGreaterThanOrEqual(20);
      // Stats count people's opens only: the proxies' are recorded beside them.
      expect(first.opened).toBeGreaterThanOrEqual(6);
      expect(first.clicked).toBe(2);
      expect(first.replied).toBe(2);
      expect(call.tasksCompleted).toBe(6);
      expect(stats.exitReasons).toMatchObject({ replied: 2, call_outcome: 2, meeting_booked: 2, bounced: 2 });
      expect(stats.enrollments.paused).toBe(2);

      const skipped = (await get('/api/tasks?status=cancelled', asAdmin())).items as any[];
      expect(skipped.filter((t) => t.skipped).length).toBe(2);
    });

    it('shows it on the leads\' timelines: the hot lead\'s sent, opened and clicked email; a reply and its exit; a proxy\'s open apart', async () => {
      const [rep] = credentials().filter((u) => u.role === 'rep');
      const cookie = await signIn(rep.email, rep.password);
      const timeline = async (leadId: string) => ((await get(`/api/leads/${leadId}/timeline`, { cookie })).items as any[]);
      const [hot] = (await get('/api/tasks?due=today&sort=priority&status=open', { cookie })).items as any[];
      const types = (await timeline(hot.lead.id)).map((i) => i.type);
      expect(types).toEqual(expect.arrayContaining(['enrolled', 'email_sent', 'email_opened', 'email_clicked', 'task_created']));

      const exited = (await get('/api/enrollments?status=exited&limit=100', { cookie })).items as any[];
      const replied = exited.find((e) => e.exitReason === 'replied');
      const story = await timeline(replied.recordId);
      expect(story.map((i) => i.type)).toEqual(expect.arrayContaining(['email_sent', 'email_opened', 'email_replied', 'exited']));
      expect(now.getTime() - Date.parse(story.find((i) => i.type === 'email_replied').at)).toBeGreaterThan(4 * DAY);

      const today = (await get('/api/tasks?due=today&status=open', { cookie })).items as any[];
      const leadIds = [...new Set(today.map((t) => t.recordId as string))];
      const opens = (await Promise.all(leadIds.map(timeline))).flat().filter((i) => i.type === 'email_opened');
      expect(opens.some((i) => i.machine === true)).toBe(true);
      expect(opens.some((i) => !i.machine)).toBe(true);
    });
  });
});
