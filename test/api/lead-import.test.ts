import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSuppression } from '../../src/store/lead.repository.ts';
import { BACKENDS } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { ALWAYS_OPEN, createCadence, createLead, expectError, rowCounts, send, type Res } from './helpers.ts';

/** POST /api/leads/import (API.md "Leads"): a CSV file in, a report of what became of each row out. */
describe.each(BACKENDS)('CSV import of leads on %s', (backend) => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness(backend); }, 240_000);
  afterAll(() => h.close());

  const upload = (csv: string | Buffer | Readable, query = '', token: string | null = h.adminToken, contentType = 'text/csv'): Promise<Res> =>
    send(h, {
      method: 'POST',
      url: `/api/leads/import${query}`,
      headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), 'content-type': contentType },
      payload: csv,
    });
  const leadByEmail = async (email: string) =>
    h.ctx.db.selectFrom('leads').selectAll().where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase())).execute();
  /** Every table's size: a refused file writes nothing. */
  const unchangedBy = async (fn: () => Promise<void>) => {
    const before = await rowCounts(h);
    await fn();
    expect(await rowCounts(h)).toEqual(before);
  };

  it('reads columns by their usual spellings, a BOM, CRLF and a quoted value over two lines, and puts other columns in custom fields', async () => {
    const csv = '\ufeffE-mail,First Name,last_name,Company Name,Phone Number,Lead Status,Time Zone,Owner,Industry\r\n' +
      'ada@import.example,Ada,Lovelace,"Analytical, Ltd",+44 20 1234,Working,Europe/London,rep1@example.com,Computing\r\n' +
      'grace@import.example,Grace,Hopper,"Navy\r\nYard",,,,,Compilers\r\n' +
      'alan@import.example,Alan,Turing,,,,,,\r\n';
    const res = await upload(csv);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ created: 3, updated: 0, rejected: [], dryRun: false, rows: 3 });
    expect(res.body.columns.map((c: any) => c.field ?? `custom:${c.key}`)).toEqual(
      ['email', 'firstName', 'lastName', 'company', 'phone', 'status', 'timezone', 'ownerEmail', 'custom:Industry']);
    const [ada] = await leadByEmail('ada@import.example');
    expect(ada).toMatchObject({ first_name: 'Ada', last_name: 'Lovelace', company: 'Analytical, Ltd', phone: '+44 20 1234', status: 'Working', timezone: 'Europe/London', owner_id: h.reps[0].id });
    expect(ada.fields).toEqual({ Industry: 'Computing' });
    const [grace] = await leadByEmail('grace@import.example');
    expect(grace).toMatchObject({ company: 'Navy\nYard', status: 'New', owner_id: h.admin.id, timezone: null });
    expect((await h.api('GET', `/api/leads/${ada.id}`)).body.fields).toEqual({ Industry: 'Computing' });
  });

  it('rejects each bad row alone, with its line counted in the file (a quoted value over lines included) and why', async () => {
    const csv = [
      'email,firstName,notes,ownerEmail,timezone', // 1
      'good1@rows.example,One,"a note', // 2
      'over two lines",,', // 3
      'not-an-email,Two,,,', // 4
      ',Three,,,', // 5
      'GOOD1@rows.example,Again,,,', // 6: the same email as line 2
      'owner@rows.example,Four,,nobody@example.com,', // 7
      'zone@rows.example,Five,,,Mars/Olympus', // 8
      `long@rows.example,${'x'.repeat(201)},,,`, // 9
      'fields@rows.example,Six,a,b,c,d', // 10
      '', // 11: blank lines are skipped, and counted
      'good2@rows.example,Seven,,rep2@example.com,UTC', // 12
    ].join('\n');
    const res = await upload(csv);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.created).toBe(2);
    const rejected = res.body.rejected as Array<{ line: number; reason: string }>;
    expect(rejected.map((r) => r.line)).toEqual([4, 5, 6, 7, 8, 9, 10]);
    const reason = (line: number) => rejected.find((r) => r.line === line)!.reason;
    expect(reason(4)).toMatch(/email "not-an-email": expected an email address/);
    expect(reason(5)).toMatch(/no email/);
    expect(reason(6)).toMatch(/same email as line 2/);
    expect(reason(7)).toMatch(/owner "nobody@example.com" is not a user/);
    expect(reason(8)).toMatch(/timezone "Mars\/Olympus": unknown time zone/);
    expect(reason(9)).toMatch(/firstName ".*…": longer than 200 characters/);
    expect(reason(10)).toMatch(/6 values where the header has 5 columns/);
    expect((await leadByEmail('good1@rows.example'))[0].fields).toEqual({ notes: 'a note\nover two lines' });
    expect((await leadByEmail('good2@rows.example'))[0].owner_id).toBe(h.reps[1].id);
    expect(await leadByEmail('owner@rows.example')).toEqual([]);
  });

  it('updates the lead with the same email (any case) instead of duplicating it: empty cells keep what it had, custom fields merge', async () => {
    const lead = await createLead(h, { email: 'Known@Update.example', firstName: 'Kim', company: 'Old Co', fields: { tier: 'gold' } });
    const res = await upload('email,first name,company,region\nknown@update.example,,New Co,EMEA\nfresh@update.example,Fay,,\n');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ created: 1, updated: 1, rejected: [] });
    const rows = await leadByEmail('known@update.example');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: lead.id, email: 'Known@Update.example', first_name: 'Kim', company: 'New Co', status: lead.status });
    expect(rows[0].fields).toEqual({ tier: 'gold', region: 'EMEA' });
    // Imported again: nothing new.
    const again = await upload('email,first name,company,region\nknown@update.example,,New Co,EMEA\nfresh@update.example,Fay,,\n');
    expect(again.body).toMatchObject({ created: 0, updated: 2 });
    expect(await leadByEmail('fresh@update.example')).toHaveLength(1);
  });

  it('a dry run reports the same, with the column mapping and the first rows as they would be stored, and writes nothing', async () => {
    await createLead(h, { email: 'exists@dry.example' });
    const csv = 'Email Address,Name,Owner,Stage\nexists@dry.example,Eve Existing,,Qualified\nnew@dry.example,Ned New Person,rep1@example.com,\nbad,,,\n';
    await unchangedBy(async () => {
      const res = await upload(csv, '?dryRun=true');
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ created: 1, updated: 1, dryRun: true, rows: 3, rejected: [{ line: 4 }] });
      expect(res.body.columns).toEqual([
        { index: 1, header: 'Email Address', kind: 'field', field: 'email' },
        { index: 2, header: 'Name', kind: 'field', field: 'fullName' },
        { index: 3, header: 'Owner', kind: 'field', field: 'ownerEmail' },
        { index: 4, header: 'Stage', kind: 'field', field: 'status' },
      ]);
      expect(res.body.preview).toEqual([
        { line: 2, action: 'update', email: 'exists@dry.example', firstName: 'Eve', lastName: 'Existing', status: 'Qualified', fields: {} },
        { line: 3, action: 'create', email: 'new@dry.example', firstName: 'Ned', lastName: 'New Person', ownerEmail: 'rep1@example.com', fields: {} },
      ]);
    });
  });

  it('?cadenceId= enrols the file\u2019s leads through the enrolment rules, reporting who was refused and who waits for the throttle; a dry run says the same and writes nothing', async () => {
    const cadence = await createCadence(h, { name: 'Imported', schedule: ALWAYS_OPEN, throttle: { perRepPerDay: 1 }, steps: [{ type: 'call', title: 'Call' }] });
    const existing = await createLead(h, { email: 'old@enrol.example' });
    expect((await h.api('POST', `/api/cadences/${cadence.id}/enrollments`, { recordIds: [existing.id] })).status).toBe(201);
    await insertSuppression(h.ctx.db, 'gone@enrol.example', 'unsubscribed', h.clock.now());
    const csv = 'email,owner\nold@enrol.example,\na@enrol.example,rep1@example.com\nb@enrol.example,rep1@example.com\ngone@enrol.example,rep1@example.com\n';
    const expected = {
      created: 3, updated: 1, enrolled: 2,
      enrollment: {
        cadenceId: cadence.id, pending: 1,
        refused: [{ line: 2, email: 'old@enrol.example', reason: 'already_enrolled' }, { line: 5, email: 'gone@enrol.example', reason: 'unsubscribed' }],
      },
    };
    let rehearsed: Res | undefined;
    await unchangedBy(async () => { rehearsed = await upload(csv, `?cadenceId=${cadence.id}&dryRun=true`); });
    expect(rehearsed!.status, JSON.stringify(rehearsed!.body)).toBe(200);
    expect(rehearsed!.body).toMatchObject({ ...expected, dryRun: true });

    const res = await upload(csv, `?cadenceId=${cadence.id}`);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ ...expected, dryRun: false });
    const enrolled = await h.api('GET', `/api/enrollments?cadenceId=${cadence.id}`);
    expect(enrolled.body.items).toHaveLength(3); // the lead enrolled before, and the two new ones
  });

  it('an unknown or archived cadence is refused before anything is written', async () => {
    const csv = 'email\nnever@cadence.example\n';
    await unchangedBy(async () => {
      expectError(await upload(csv, '?cadenceId=00000000-0000-4000-8000-000000000000'), 404, 'not_found');
      const archived = await createCadence(h, { name: 'Old', steps: [{ type: 'call', title: 'Call' }] });
      expect((await h.api('POST', `/api/cadences/${archived.id}/archive`)).status).toBe(200);
      const before = await rowCounts(h);
      expectError(await upload(csv, `?cadenceId=${archived.id}`), 409, 'invalid_state');
      expect(await rowCounts(h)).toEqual(before);
      await h.ctx.db.deleteFrom('cadences').where('id', '=', archived.id).execute();
    });
    expectError(await upload(csv, '?cadenceId=not-a-uuid'), 400, 'invalid_request');
  });

  describe('a file that cannot be read is refused whole, saying why, and writes nothing', () => {
    it.each([
      ['a missing email column (naming the columns found)', 'Name,Company\nAda,Acme\n', 400, /no email column.*"Name", "Company"/],
      ['a first line of data instead of a header', 'ada@x.example,Ada\nbob@x.example,Bob\n', 400, /looks like data, not a header/],
      ['an empty file', '', 400, /empty/],
      ['blank lines only', '\n\r\n  \n', 400, /empty/],
      ['a header without rows', 'email,firstName\n', 400, /header but no rows/],
      ['two columns for one field', 'Email,E-mail\na@x.example,b@x.example\n', 400, /columns 1 \("Email"\) and 2 \("E-mail"\) both fill email/],
      ['Latin-1 bytes', Buffer.from('email,firstName\nzoe@x.example,Zo\xe9\n', 'latin1'), 415, /not UTF-8: byte 0xE9 at line 2/],
      ['UTF-16 with its byte order mark', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('email\na@x.example\n', 'utf16le')]), 415, /UTF-16/],
      ['UTF-16 without a byte order mark', Buffer.from('email\na@x.example\n', 'utf16le'), 415, /NUL bytes .*UTF-16/],
    ])('%s', async (_what, csv, status, message) => {
      await unchangedBy(async () => {
        const res = await upload(csv);
        expect(res.status, JSON.stringify(res.body)).toBe(status);
        expect(res.body.error.message).toMatch(message);
      });
    });

    it('a charset other than UTF-8 in the content type, or a body that is not CSV', async () => {
      expectError(await upload('email\na@x.example\n', '', h.adminToken, 'text/csv; charset=iso-8859-1'), 415, 'unsupported_encoding');
      expect((await upload('{"email":"a@x.example"}', '', h.adminToken, 'application/json')).status).toBe(415);
      expect((await upload('email\na@x.example\n', '', h.adminToken, 'text/plain')).status).toBe(415);
    });

    it('a 60 MB file is refused with the limit named: at its Content-Length, or while it streams in', async () => {
      const row = `someone@big.example,Some,One,${'c'.repeat(1000)}\n`; // 50 MB is about 50,000 such rows
      const big = Buffer.alloc(60 * 1024 * 1024, row);
      big.write('email,a,b,c\n');
      await unchangedBy(async () => {
        const declared = await upload(big);
        expectError(declared, 413, 'payload_too_large');
        expect(declared.body.error.message).toMatch(/at most 50 MB/);
        // Chunked, without a Content-Length: counted as it comes, and cut at the limit.
        let sent = 0;
        const stream = Readable.from((function* () {
          yield Buffer.from('email,a,b,c\n');
          for (; sent < 60 * 1024 * 1024; sent += 1024 * 1024) yield Buffer.alloc(1024 * 1024, row);
        })());
        const streamed = await upload(stream);
        expectError(streamed, 413, 'payload_too_large');
        expect(streamed.body.error.message).toMatch(/larger than 50 MB/);
      });
    }, 60_000);

    it('more than 100,000 rows is refused, naming the limit', async () => {
      const csv = `email\n${Array.from({ length: 100_001 }, (_, i) => `r${i}@rows.example`).join('\n')}\n`;
      await unchangedBy(async () => {
        const res = await upload(csv);
        expectError(res, 413, 'payload_too_large');
        expect(res.body.error.message).toMatch(/more than 100,000 rows/);
      });
    }, 60_000);

    it('a rep may not import, and no token is no import', async () => {
      expectError(await upload('email\nrep@x.example\n', '', h.reps[0].token), 403, 'forbidden');
      expectError(await upload('email\nrep@x.example\n', '', null), 401, 'unauthorized');
      expect(await leadByEmail('rep@x.example')).toEqual([]);
    });
  });

  it('semicolon-separated files (European spreadsheets) and a quoted header', async () => {
    const res = await upload('"Email";"Vorname";Company\nsemi@colon.example;Sara;"Acme; Inc"\n');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect((await leadByEmail('semi@colon.example'))[0]).toMatchObject({ company: 'Acme; Inc', fields: { Vorname: 'Sara' } });
  });

  it('a quote that never closes rejects its row and says what swallowed the rest', async () => {
    const res = await upload('email,firstName\nq1@quote.example,Q\nq2@quote.example,"Broken\nq3@quote.example,Lost\n');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.created).toBe(1);
    expect(res.body.rejected).toEqual([{ line: 3, reason: expect.stringMatching(/never closed/) }]);
  });
});
