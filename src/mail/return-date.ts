// The return date an out-of-office message names, in the date forms of English,
// German, French, Spanish, Portuguese, Dutch, Italian, Swedish, Polish and Japanese.
// Best effort: null when none is found, or when the one found is in the past or more
// than a year ahead (a typo or a stale responder); the caller then pauses for its default.
//
// Every pattern is linear: fixed words and bounded gaps, tried at a bounded number of places
// (a trigger's window, a date's start); the text is cut to MAX_TEXT characters first.

const MAX_TEXT = 4000;
/** A date further ahead than this is taken for a mistake, not an absence. */
const MAX_AHEAD_DAYS = 366;

// Month names by number (index + 1), lower case, every language; abbreviations last.
const MONTHS = [
  'january|januar|jänner|janvier|enero|janeiro|januari|gennaio|stycznia|styczeń|jan',
  'february|februar|feber|février|fevrier|febrero|fevereiro|februari|febbraio|lutego|luty|feb|fév|fev',
  'march|märz|maerz|mars|marzo|março|marco|maart|marca|marzec|mar|mär|mrt',
  'april|avril|abril|aprile|kwietnia|kwiecień|apr|avr|abr',
  'may|mai|mayo|maio|mei|maggio|maj|maja|mag',
  'june|juni|juin|junio|junho|giugno|czerwca|czerwiec|jun|giu',
  'july|juli|juillet|julio|julho|luglio|lipca|lipiec|juil|jul|lug',
  'august|août|aout|agosto|augustus|augusti|sierpnia|sierpień|aug',
  'september|septembre|septiembre|setiembre|setembro|settembre|września|wrzesień|sept|sep',
  'october|oktober|octobre|octubre|outubro|ottobre|października|październik|oct|okt|ott',
  'november|novembre|noviembre|novembro|listopada|listopad|nov',
  'december|dezember|décembre|decembre|diciembre|dezembro|dicembre|grudnia|grudzień|dec|dez|dic',
];
const MONTH_OF = new Map(MONTHS.flatMap((names, i) => names.split('|').map((n) => [n, i + 1] as const)));
const MONTH = `(${MONTHS.join('|')})\\.?(?![a-zà-ÿąćęłńóśźż])`;
const ORD = '(?:st|nd|rd|th|er|e|ème|º|ª|\\.)?';
const YEAR = '(?:,?\\s+(?:de\\s+|del\\s+|of\\s+)?(\\d{4}))?';
// Range words between two days or two dates: "1 to 12 March", "du 1er au 12 mars", "vom 1. bis 12.".
const RANGE = '(?:-|–|—|to|till|until|through|thru|bis|au|à|al|a|hasta|até|ate|tot(?: en met)?|t/m|till och med|do|e|y|and|und|et|en|~|〜)';

// "back in 1-2 weeks", "2/3 Tage": a span, not a date.
const DURATION_UNITS = [
  'weeks?', 'days?', 'hours?', 'wochen', 'tagen?', 'stunden', 'semaines?', 'jours?', 'heures?', 'semanas?', 'd[ií]as', 'horas?',
  'weken', 'dagen', 'uur', 'settimane', 'giorni', 'ore', 'veckor', 'dagar', 'timmar', 'tygodni', 'dni', 'godzin', '週間', '日間', '時間',
].join('|');

// `either`: a numeric date like 3/12 that English text without a locale may mean both ways;
// `range`: the end of "1 to 12 March"; `dayOnly`: "the 15th", of this month or the next.
type Parts = { y: number | null; m: number; d: number; either?: boolean; range?: boolean; dayOnly?: boolean };
interface Found { at: number; end: number; parts: Parts }
interface Reader { re: RegExp; read: (m: RegExpExecArray, dayFirst: boolean) => Parts | null }

const year = (s: string | undefined) => (s ? (s.length === 2 ? 2000 + Number(s) : Number(s)) : null);
const num = (s: string | undefined) => Number(s);

// Forms tried at one place; the longest match there wins ("1-12 March" over "1-12").
const READERS: Reader[] = [
  { re: /(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/y, read: (m) => ({ y: num(m[1]), m: num(m[2]), d: num(m[3]) }) },
  // 2027年3月12日, 令和9年3月12日, 3月12日 (the year optional).
  { re: /(?:(\d{4})\s*年|令和\s*(\d{1,2})\s*年)?\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/y,
    read: (m) => ({ y: m[1] ? num(m[1]) : m[2] ? 2018 + num(m[2]) : null, m: num(m[3]), d: num(m[4]) }) },
  // 12.03.2027, 12/03, 12-3, 3/12 (US or Japanese): the order from the text's language
  // unless one number cannot be a month.
  { re: new RegExp(`(\\d{1,2})([./-])(\\d{1,2})(?:\\2(\\d{4}|\\d{2}))?(?![\\d/])(?!\\s*(?:${DURATION_UNITS}))`, 'y'), read: (m, dayFirst) => {
    const [a, b] = [num(m[1]), num(m[3])];
    const first = a > 12 ? true : b > 12 ? false : m[2] === '.' || dayFirst;
    const either = a <= 12 && b <= 12 && m[2] !== '.';
    return first ? { y: year(m[4]), m: b, d: a, either } : { y: year(m[4]), m: a, d: b, either };
  } },
  // March 12th, 2027; March 1-12 (the end of the range).
  { re: new RegExp(`${MONTH}\\s+(\\d{1,2})${ORD}(?:\\s*${RANGE}\\s*(\\d{1,2})${ORD}(?![\\d/.]))?(?![\\d/])${YEAR}`, 'y'),
    read: (m) => ({ y: year(m[4]), m: MONTH_OF.get(m[1]) ?? 0, d: num(m[3] ?? m[2]), range: !!m[3] }) },
  // 12 March, 12. März 2027, 12 de marzo de 2027, 12th of March; 1 to 12 March (the end).
  { re: new RegExp(`(\\d{1,2})${ORD}(?:\\s*${RANGE}\\s*(\\d{1,2})${ORD})?\\s*(?:of\\s+|de\\s+|di\\s+)?${MONTH}${YEAR}`, 'y'),
    read: (m) => ({ y: year(m[4]), m: MONTH_OF.get(m[3]) ?? 0, d: num(m[2] ?? m[1]), range: !!m[2] }) },
];

/** The date starting exactly at `at`, if any. */
function dateAt(text: string, at: number, dayFirst: boolean, afterLink = false): Found | null {
  if (at > 0 && /[a-z\d]/.test(text[at - 1]) && /[\da-z]/.test(text[at])) return null; // not mid-word
  // Not the tail of a number: "555-12-03", "+49 30 1234.12.03" (a range's end may follow "01/03-").
  if (!afterLink && at > 1 && /[-./]/.test(text[at - 1]) && /\d/.test(text[at - 2])) return null;
  let best: Found | null = null;
  for (const { re, read } of READERS) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) continue;
    const parts = read(m, dayFirst);
    if (parts && (!best || m[0].length > best.end - best.at)) best = { at, end: at + m[0].length, parts };
  }
  return best;
}

// Where a date may start: a digit after a non-digit, or a month name.
const DATE_START = new RegExp(`(?<!\\d)\\d|(?<![a-zà-ÿ])(?:${MONTHS.join('|')})(?![a-zà-ÿ])|令和`, 'g');

/** The first date that starts within `gap` characters of `from` (not past a sentence end). */
function dateAfter(text: string, from: number, gap: number, dayFirst: boolean): Found | null {
  const stretch = text.slice(from, from + gap);
  const stop = stretch.search(/[!?。]|\n\s*\n/); // not at '.': "einschl.", "Fr., 12.03."
  // Starts are looked for in the window only (a search over the whole text from each
  // trigger would be quadratic); the date itself may run past it.
  const window = text.slice(Math.max(0, from - 1), from + (stop < 0 ? gap : stop + 1));
  const offset = Math.max(0, from - 1);
  DATE_START.lastIndex = from - offset;
  for (let m = DATE_START.exec(window); m; m = DATE_START.exec(window)) {
    const found = dateAt(text, offset + m.index, dayFirst);
    if (found) return found;
  }
  return null;
}

/** "1 March to 12 March", "01/03 - 12/03", "3月1日から3月12日": the end of a range. */
function endOfRange(text: string, date: Found, dayFirst: boolean): Found | null {
  RANGE_LINK.lastIndex = date.end;
  if (!RANGE_LINK.exec(text)) return null;
  return dateAt(text, RANGE_LINK.lastIndex, dayFirst, true);
}

// Words after which the return date (or the last day away) comes: "back on", "until",
// "bis zum", "jusqu'au", "hasta el", "até", "terug op", "t/m", "fino al", "tillbaka", "do".
const UNTIL = [
  'back', 'return(?:ing|s)?', 'until', 'till', 'til', 'through', 'thru', 'resum(?:e|ing)', 'as of',
  'bis', 'zurück', 'wieder', 'retour', "jusqu['’]a[ux]", "jusqu['’]à", 'reviens', 'reviendrai', 'rentre(?:rai)?',
  'hasta', 'regres\\w*', 'vuelta', 'vuelvo', 'volver[éea]?', 'reincorpor\\w*',
  'até', 'volto', 'voltarei', 'retorno', 'retornarei', 'retorna', 'regressarei', 'de volta',
  'terug', 'tot(?: en met)?', 't/m', 'weer', 'fino al?', 'rientr\\w*', 'ritorn\\w*', 'tornerò',
  'tillbaka', 'till och med', 't\\.o\\.m\\.?', 'åter', 'wracam', 'powr[óo]t\\w*', 'do',
  // "ab dem 4. Januar wieder da", "vanaf 12 maart weer", "a partir del 12 estaré de vuelta": a
  // start that is a return only when a return word follows.
  '(?:ab|vanaf|à partir du|a partir del?|from|dal)(?=[^\\n.]{0,50}(?:wieder|zurück|weer|terug|back|vuelta|regres|volta|retour|rientr))',
];
// Words that start a range whose END is the return ("from 1 to 12 March"): they count
// only when a range follows.
const RANGE_START = [
  'from', 'vom', 'von', 'du', 'del', 'dal', 'de', 'desde', 'van', 'od', 'från', 'entre', 'between',
  // "out of office March 1-12", "Urlaub 1.-12. März": away-words followed by a range.
  'out of (?:the )?office', 'away', 'off', 'leave', 'vacation', 'holiday', 'urlaub', 'abwesend', 'absente?', 'congés?',
  'vacances', 'vacaciones', 'férias', 'vakantie', 'afwezig',
];
const LETTER = 'a-zà-ÿąćęłńóśźż';
const TRIGGER = new RegExp(
  `(?<![${LETTER}])(?:(${UNTIL.join('|')})|(${RANGE_START.join('|')}))(?![${LETTER}])`, 'g');
// Japanese puts the word after the date: 3月12日まで, 3月12日(金)に戻ります, 3月12日より出社.
const AFTER_JA = /^\s*(?:[(（][月火水木金土日][)）])?\s*(?:まで|迄|に(?:は)?(?:戻|帰|出社|復帰)|より(?:出社|戻|復帰|通常)|から(?:出社|戻|通常|復帰)|以降)/;
// German and Dutch also can: "am 12.03. wieder im Büro", "op 12 maart weer aanwezig".
const AFTER_WORD = /^\.?\s*(?:\([^)\n]{0,12}\)\s*)?(?:[^\s.!?\n]+\s+){0,3}?(?:wieder|zurück|weer|terug)(?![a-zà-ÿ])/;
const GAP = 50;

// Weekdays, Monday first (index 0), for "back on Monday", "bis Freitag", "jusqu'à lundi"...
const WEEKDAYS = [
  'monday|montag|lundi|lunes|segunda(?:-feira)?|maandag|lunedì|lunedi|måndag|poniedziałek|poniedziałku',
  'tuesday|dienstag|mardi|martes|terça(?:-feira)?|terca(?:-feira)?|dinsdag|martedì|martedi|tisdag|wtorek|wtorku',
  'wednesday|mittwoch|mercredi|miércoles|miercoles|quarta(?:-feira)?|woensdag|mercoledì|mercoledi|onsdag|środa|środy|środę',
  'thursday|donnerstag|jeudi|jueves|quinta(?:-feira)?|donderdag|giovedì|giovedi|torsdag|czwartek|czwartku',
  'friday|freitag|vendredi|viernes|sexta(?:-feira)?|vrijdag|venerdì|venerdi|fredag|piątek|piątku',
  'saturday|samstag|sonnabend|samedi|sábado|sabado|zaterdag|sabato|lördag|sobota|soboty|sobotę',
  'sunday|sonntag|dimanche|domingo|zondag|domenica|söndag|niedziela|niedzieli|niedzielę',
];
// At most two short words between the trigger and the weekday: "back on Monday", "bis zum Montag".
const WEEKDAY_AFTER = new RegExp(
  `^[\\s,]*(?:[a-zà-ÿ]{1,5}[\\s,]+){0,2}?(?:(${WEEKDAYS.join(')|(')}))(?![a-zà-ÿąćęłńóśźż])`);

// Between the dates of a range: "1 March to 12 March", "du lundi 1er au vendredi 12 mars".
const RANGE_LINK = new RegExp(`\\.?\\s*(?:${RANGE}|から|より)\\s*(?:(?:${WEEKDAYS.join('|')})[\\s,]+(?:the\\s+)?)?`, 'y');

/** "until the 15th": a day of this month, or of the next when it is past (resolved as a yearless date). */
function dayOfMonthAfter(text: string, from: number): Found | null {
  const m = /^\s*(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)(?![a-z\d])/.exec(text.slice(from, from + 20));
  return m ? { at: from, end: from + m[0].length, parts: { y: null, m: 0, d: Number(m[1]), dayOnly: true } } : null;
}

/** The next such weekday strictly after today ("back on Monday" said on a Monday is a week). */
function weekdayAfter(text: string, from: number, now: Date): Date | null {
  const m = WEEKDAY_AFTER.exec(text.slice(from, from + 40));
  if (!m) return null;
  const weekday = m.slice(1).findIndex((g) => g !== undefined); // 0 = Monday
  const today = (now.getUTCDay() + 6) % 7;
  const ahead = ((weekday - today + 6) % 7) + 1;
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + ahead));
}

/**
 * The return date an out-of-office text names: the first date after a return word
 * ("back on", "until", "bis", "jusqu'au", "hasta", "até", "tot en met", "まで"...), the end
 * of a range ("from 1 to 12 March"). A date without a year is the next such day from
 * today on; "until" is taken as the return day itself. Midnight UTC of that day.
 */
export function findReturnDate(raw: string, now: Date, language?: string | null): Date | null {
  const text = ownText(raw.slice(0, MAX_TEXT)).normalize('NFKC').toLowerCase();
  const order = numericOrder(text, language);
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  // Today up to a year ahead; of two readings of 3/12 (English without a locale), the sooner:
  // an absence is short.
  const valid = (found: Found | null) => readings(found, now, order === 'either')
    .filter((d) => d.getTime() >= today && d.getTime() <= today + MAX_AHEAD_DAYS * 86_400_000)
    .sort((a, b) => a.getTime() - b.getTime())[0] ?? null;
  const dayFirst = order !== 'month-first';

  const candidates: { at: number; date: Date }[] = [];
  for (const t of text.matchAll(TRIGGER)) {
    const first = dateAfter(text, t.index + t[0].length, GAP, dayFirst);
    if (!first) {
      const from = t.index + t[0].length;
      const near = t[1] ? weekdayAfter(text, from, now) ?? valid(dayOfMonthAfter(text, from)) : null;
      if (near) { candidates.push({ at: t.index, date: near }); break; }
      continue;
    }
    const end = endOfRange(text, first, dayFirst);
    // A range start ("from") counts only with its range: "from 1 March" alone is no return.
    const date = valid(end) ?? (t[2] && !first.parts.range ? null : valid(first));
    if (date) { candidates.push({ at: t.index, date }); break; }
  }
  DATE_START.lastIndex = 0;
  for (let m = DATE_START.exec(text); m; m = DATE_START.exec(text)) {
    if (candidates.length > 0 && m.index > candidates[0].at) break;
    const found = dateAt(text, m.index, dayFirst);
    if (!found) continue;
    DATE_START.lastIndex = found.end;
    const after = text.slice(found.end, found.end + 40);
    if (!AFTER_JA.test(after) && !AFTER_WORD.test(after)) continue;
    const date = valid(found);
    if (date) { candidates.push({ at: m.index, date }); break; }
  }
  candidates.sort((a, b) => a.at - b.at);
  return candidates[0]?.date ?? null;
}

type NumericOrder = 'day-first' | 'month-first' | 'either';

// Day first everywhere but in US English and Japanese; English text with no
// Content-Language could be either.
function numericOrder(text: string, language?: string | null): NumericOrder {
  const lang = language?.trim().toLowerCase() ?? '';
  if (/^(en-us|ja)\b/.test(lang)) return 'month-first';
  if (lang && !/^en\b/.test(lang)) return 'day-first';
  if (/[\u3040-\u30ff\u4e00-\u9fff]/.test(text) && !lang) return 'month-first';
  if (lang.startsWith('en-')) return 'day-first'; // en-GB, en-AU, en-IE...
  const english = (text.match(/\b(the|you|your|will|office|until|back|and|with|please)\b/g) ?? []).length;
  return english >= 3 ? 'either' : 'day-first';
}

function readings(found: Found | null, now: Date, eitherOrder: boolean): Date[] {
  if (!found) return [];
  const { parts } = found;
  return [parts, ...(eitherOrder && parts.either ? [{ ...parts, m: parts.d, d: parts.m }] : [])]
    .map((p) => resolve(p, now))
    .filter((d): d is Date => d !== null);
}

function resolve({ y, m, d, dayOnly }: Parts, now: Date): Date | null {
  if (dayOnly) {
    const today = now.getUTCDate();
    const month = now.getUTCMonth() + (d >= today ? 0 : 1); // Date.UTC carries month 12 into the next year
    const date = new Date(Date.UTC(now.getUTCFullYear(), month, d));
    return date.getUTCDate() === d ? date : null; // "the 31st" in a 30-day month
  }
  const make = (yy: number) => {
    const date = new Date(Date.UTC(yy, m - 1, d));
    return date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? date : null; // rejects 31 June
  };
  if (m < 1 || m > 12 || d < 1) return null;
  if (y !== null) return make(y);
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const thisYear = make(now.getUTCFullYear());
  return thisYear && thisYear.getTime() >= today ? thisYear : make(now.getUTCFullYear() + 1);
}

// The start of a quoted original: "On … wrote:", "-----Original Message-----", "From: … Sent:",
// "> " lines, in the languages above. Bounded gaps keep it linear.
export const QUOTE_START = new RegExp(
  [
    '^>',
    '^-{2,}\\s*(?:original message|ursprüngliche nachricht|message d\'origine|mensaje original|mensagem original|oorspronkelijk bericht|messaggio originale|originalmeddelande|oryginalna wiadomość)',
    '^(?:from|von|de|van|da|från|od|差出人)\\s?:[^\\n]{0,200}\\n(?:[^\\n]{0,200}\\n)?(?:sent|gesendet|envoyé|enviado|enviada|verzonden|inviato|skickat|wysłano|送信日時)\\s?:',
    '^(?:on|am|le|el|em|op|il|den|dnia)\\s[^\\n]{0,200}(?:wrote|schrieb|a écrit|escribió|escreveu|schreef|ha scritto|skrev|napisał)',
  ].join('|'),
  'im',
);

/** The text before any quoted original: a responder's words, not ours quoted back. */
export function ownText(text: string): string {
  const at = text.search(QUOTE_START);
  return at < 0 ? text : text.slice(0, at);
}
