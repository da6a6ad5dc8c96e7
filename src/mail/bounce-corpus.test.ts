// The fixture corpus (test/fixtures/mail/bounces and complaints, one sample or more in
// each server's format, with the expected outcome of each in manifest.json), read as
// the inbox poller reads it. Prints the recognition rate per kind; a bounce counts as
// recognised only with the right hard/soft and exactly the failed recipients.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeInbound, type InboundAnalysis } from './inbound.ts';

const NOW = new Date('2026-11-24T09:00:00Z');
const ROOT = join(import.meta.dirname, '../../test/fixtures/mail');

interface Expected {
  format: string;
  kind: InboundAnalysis['kind'];
  permanent?: boolean;
  recipients?: string[];
  feedbackType?: string;
  automated?: boolean; // a receipt: a machine's notice that must never count as a reply
}

interface Sample {
  dir: string;
  file: string;
  expected: Expected;
  got: InboundAnalysis;
}

const groupOf = (e: Expected) =>
  e.kind === 'bounce' ? (e.permanent ? 'bounce (hard)' : 'bounce (soft)') : e.kind === 'complaint' ? 'complaint' : 'not a bounce';

function isRight({ expected: e, got }: Sample): boolean {
  if (got.kind !== e.kind) return false;
  if (e.kind === 'bounce' && got.permanent !== e.permanent) return false;
  if (e.recipients && [...got.bouncedRecipients].sort().join() !== [...e.recipients].sort().join()) return false;
  if (e.feedbackType && got.feedbackType !== e.feedbackType) return false;
  if (e.automated !== undefined && got.automated !== e.automated) return false;
  return true;
}

async function loadCorpus(): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (const dir of ['bounces', 'complaints']) {
    const manifest = JSON.parse(readFileSync(join(ROOT, dir, 'manifest.json'), 'utf8')) as Record<string, Expected>;
    const files = readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.eml')).sort();
    expect(files.sort()).toEqual(Object.keys(manifest).sort()); // every fixture has its expected outcome
    for (const file of files) {
      const raw = readFileSync(join(ROOT, dir, file));
      const got = await analyzeInbound(raw, NOW);
      // As an IMAP server hands it over, with CRLF line ends: read the same.
      const crlf = Buffer.from(raw.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
      expect(await analyzeInbound(crlf, NOW), file).toEqual(got);
      samples.push({ dir, file, expected: manifest[file], got });
    }
  }
  return samples;
}

describe('bounce and complaint corpus', () => {
  it('recognises >= 95% of bounces with the right hard/soft and recipients, and takes none for a reply', async () => {
    const samples = await loadCorpus();
    const groups = new Map<string, Sample[]>();
    for (const s of samples) groups.set(groupOf(s.expected), [...(groups.get(groupOf(s.expected)) ?? []), s]);

    const rows = [...groups].map(([kind, list]) => {
      const right = list.filter(isRight).length;
      return { kind, samples: list.length, right, rate: `${((100 * right) / list.length).toFixed(1)}%` };
    });
    const formats = new Set(samples.filter((s) => s.expected.kind === 'bounce').map((s) => s.expected.format.split(' (')[0]));
    console.log(`Bounce corpus: ${samples.length} samples, ${formats.size} bounce formats`);
    console.table(rows);
    const wrong = samples.filter((s) => !isRight(s));
    if (wrong.length > 0) {
      console.log('Not recognised as expected:');
      console.table(wrong.map(({ file, expected, got }) => ({
        file, expected: `${expected.kind}${expected.kind === 'bounce' ? (expected.permanent ? ' hard' : ' soft') : ''} ${expected.recipients?.join(',') ?? ''}`,
        got: `${got.kind}${got.kind === 'bounce' ? (got.permanent ? ' hard' : ' soft') : ''} ${got.bouncedRecipients.join(',')}`,
      })));
    }

    const bounces = samples.filter((s) => s.expected.kind === 'bounce');
    expect(bounces.length).toBeGreaterThanOrEqual(60);
    expect(formats.size).toBeGreaterThanOrEqual(25);
    expect(bounces.filter(isRight).length / bounces.length).toBeGreaterThanOrEqual(0.95);
    // A bounce or a complaint taken for a reply would end a lead's cadence: never.
    const reports = samples.filter((s) => s.expected.kind === 'bounce' || s.expected.kind === 'complaint');
    expect(reports.filter((s) => s.got.kind === 'reply').map((s) => s.file)).toEqual([]);
    expect(samples.filter((s) => s.expected.kind === 'complaint').every(isRight)).toBe(true);
    // And what is not a bounce is never taken for one.
    const others = samples.filter((s) => s.expected.kind !== 'bounce' && s.expected.kind !== 'complaint');
    expect(others.filter((s) => !isRight(s)).map((s) => `${s.file}: ${s.got.kind}`)).toEqual([]);
  });
});
