// Auto-replies (out of office, vacation responders): told apart from replies by their
// headers and wording, with the return date they name.
import { header, type Entity } from './mime-reader.ts';

// ---- auto-replies (RFC 3834) ------------------------------------------------------

const OOO_ANYWHERE = new RegExp(
  [
    'out of (the )?office', 'automatic reply', 'auto[- ]?reply', 'auto[- ]?response', 'automatische antwort',
    'abwesenheitsnotiz', 'réponse automatique', 'respuesta automática', 'risposta automatica', 'automatisch antwoord',
  ].join('|'),
  'i',
);
// Words that only mean "away" at the start of a subject ("Absence: …", "OOO …").
const OOO_LEADING = /^\W*(abwesen\w*|absen(ce|t)|away|ooo|oof)\b/i;

export function isAutoReply(top: Entity, subject: string, body = ''): boolean {
  void body; // read by the wording rules (next commit)
  const autoSubmitted = header(top, 'auto-submitted')?.split(';')[0].trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return true;
  // Non-standard but common markers (Exchange, Zimbra, cPanel vacation scripts).
  const marked = (h: string) => top.headers.has(h) && header(top, h)?.trim().toLowerCase() !== 'no';
  if (marked('x-autoreply') || marked('x-autorespond')) return true;
  if (/^(auto_reply|bulk|junk)$/i.test(header(top, 'precedence')?.trim() ?? '')) return true;
  return OOO_ANYWHERE.test(subject) || OOO_LEADING.test(subject);
}

// ---- return dates in out-of-office text (best effort) ------------------------------

const MONTHS = [
  'january|januar|jänner|janvier|jan', 'february|februar|février|fevrier|feb', 'march|märz|maerz|mars|mar',
  'april|avril|apr|avr', 'may|mai', 'june|juni|juin|jun', 'july|juli|juillet|juil|jul', 'august|août|aout|aug',
  'september|septembre|sept|sep', 'october|oktober|octobre|oct|okt', 'november|novembre|nov',
  'december|dezember|décembre|decembre|dec|dez',
];
const MONTH = `(${MONTHS.join('|')})\\.?(?![a-zà-ÿ])`;
// German puts the date first: "ab dem 4. Januar wieder da", hence the look-ahead.
const TRIGGER =
  /\b(back|return(?:ing|s)?|until|till|bis|zurück|retour|jusqu'au|hasta|ab(?=[^\n]{0,40}\b(?:wieder|zurück)))\b/gi;

type DateParts = [year: number | null, month: number, day: number];
const year = (s: string | undefined) => (s ? (s.length === 2 ? 2000 + Number(s) : Number(s)) : null);
const monthOf = (name: string) => MONTHS.findIndex((m) => m.split('|').includes(name.toLowerCase())) + 1;

const DATE_FORMS: [RegExp, (m: RegExpExecArray) => DateParts][] = [
  [/\b(\d{4})-(\d{1,2})-(\d{1,2})\b/, (m) => [Number(m[1]), Number(m[2]), Number(m[3])]],
  [/\b(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})?(?!\d)/, (m) => [year(m[3]), Number(m[2]), Number(m[1])]],
  // d/m when the first number cannot be a month, otherwise the US m/d.
  [/\b(\d{1,2})\/(\d{1,2})(?:\/(\d{4}|\d{2}))?\b/, (m) =>
    Number(m[1]) > 12 ? [year(m[3]), Number(m[2]), Number(m[1])] : [year(m[3]), Number(m[1]), Number(m[2])]],
  [new RegExp(`\\b${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?:,?\\s+(\\d{4}))?`, 'i'),
    (m) => [year(m[3]), monthOf(m[1]), Number(m[2])]],
  [new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th|er|\\.)?\\s+(?:of\\s+)?${MONTH}(?:,?\\s+(\\d{4}))?`, 'i'),
    (m) => [year(m[3]), monthOf(m[2]), Number(m[1])]],
];

/**
 * The first date named after "back", "return", "until"… ("until" is taken as the
 * return day itself). A date without a year is the next such day from today on.
 * Returned as midnight UTC of that day.
 */
export function findReturnDate(text: string, now: Date, language?: string | null): Date | null {
  void language; // Content-Language: day-first unless the text is US English (next commit)
  for (const trigger of text.slice(0, 4000).matchAll(TRIGGER)) {
    const start = trigger.index + trigger[0].length;
    const window = text.slice(start, start + 80).split(/\n\s*\n/)[0];
    const matches = DATE_FORMS.map(([re, read]) => ({ m: re.exec(window), read }))
      .filter((x): x is { m: RegExpExecArray; read: (m: RegExpExecArray) => DateParts } => x.m !== null)
      .sort((a, b) => a.m.index - b.m.index);
    for (const { m, read } of matches) {
      const date = toDate(read(m), now);
      if (date) return date;
    }
  }
  return null;
}

function toDate([y, month, day]: DateParts, now: Date): Date | null {
  const make = (yy: number) => {
    const d = new Date(Date.UTC(yy, month - 1, day));
    return d.getUTCMonth() === month - 1 && d.getUTCDate() === day ? d : null; // rejects 31 June
  };
  if (month < 1 || month > 12) return null;
  if (y !== null) return make(y);
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const thisYear = make(now.getUTCFullYear());
  return thisYear && thisYear.getTime() >= today ? thisYear : make(now.getUTCFullYear() + 1);
}
