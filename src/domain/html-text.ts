// HTML to readable plain text, in one pass over the markup and in time linear in its
// length whatever it holds: unclosed nesting, an unclosed <style> or comment, a storm
// of `<`. No DOM is built (a parser that repairs unclosed tags costs quadratic time on
// them), no regex backtracks, and every search for a closing mark that fails consumes
// the rest of the input, as a browser does at end of file, so nothing is scanned twice.
// Pure: no IO. Used for the text part of outgoing HTML mail and for reading inbound HTML.
import { decodeHTML } from 'entities';

// Elements whose content a reader never sees; their content is skipped up to the end tag.
const HIDDEN = new Set(['script', 'style', 'title', 'template', 'noscript']);
// Paragraph-like blocks are set apart by a blank line, other blocks by a line break.
const PARAGRAPH = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'table', 'ul', 'ol', 'pre', 'hr']);
const BLOCK = new Set([
  'div', 'tr', 'li', 'section', 'article', 'header', 'footer', 'address', 'dd', 'dt', 'dl',
  'center', 'form', 'fieldset', 'figure', 'main', 'nav', 'aside', 'body', 'html', 'tbody', 'thead',
]);
const MAX_LABEL = 2048; // a longer link text never equals its target

/**
 * A readable text/plain version of an HTML body: tags dropped, entities decoded,
 * whitespace collapsed, blocks as line breaks (paragraphs as a blank line), list items
 * as `- item`, links as `text (url)` unless the text already shows the target.
 */
export function htmlToText(html: string): string {
  const out = new TextSink();
  const n = html.length;
  let link: { href: string; label: string } | null = null;
  const text = (s: string) => {
    out.text(s);
    if (link && link.label.length < MAX_LABEL) link.label += s;
  };
  const closeLink = () => {
    if (link) out.text(linkSuffix(link.href, link.label));
    link = null;
  };

  let i = 0;
  while (i < n) {
    const lt = html.indexOf('<', i);
    const stop = lt < 0 ? n : lt;
    if (stop > i) text(decodeHTML(html.slice(i, stop)));
    if (lt < 0) break;
    const next = html.charCodeAt(lt + 1);
    if (html.startsWith('<!--', lt)) {
      i = after(html, '-->', lt + 4);
    } else if (next === 0x21 /* ! */ || next === 0x3f /* ? */) {
      i = after(html, '>', lt + 2); // doctype, CDATA, processing instruction
    } else if (next === 0x2f /* / */ && isLetter(html.charCodeAt(lt + 2))) {
      const name = readName(html, lt + 2);
      i = after(html, '>', lt + 2 + name.length);
      if (name === 'a') closeLink();
      else out.blockBreak(gapOf(name));
    } else if (isLetter(next)) {
      const tag = readStartTag(html, lt + 1);
      i = tag.end;
      const name = tag.name;
      if (HIDDEN.has(name)) i = endTagAt(html, i, name, false);
      else if (name === 'head') i = endTagAt(html, i, 'head', true);
      else if (name === 'br') out.lineBreak();
      else if (name === 'a') {
        closeLink(); // anchors do not nest: a new one ends the last
        link = { href: tag.href ?? '', label: '' };
      } else {
        out.blockBreak(gapOf(name));
        if (name === 'li') text('- ');
      }
    } else {
      text('<'); // a `<` that starts no markup is text
      i = lt + 1;
    }
  }
  closeLink();
  return out.result();
}

function gapOf(name: string): number {
  return PARAGRAPH.has(name) ? 2 : BLOCK.has(name) ? 1 : 0;
}

// " (url)" after the link text, unless the text already shows the target.
function linkSuffix(rawHref: string, rawLabel: string): string {
  const href = rawHref.trim();
  if (!/^(https?:|mailto:)/i.test(href)) return '';
  const target = href.replace(/^mailto:/i, '');
  const label = rawLabel.replace(/\s+/g, ' ').trim();
  if (!label) return ` ${target}`; // an image link: show where it goes
  const bare = (s: string) => s.replace(/^(https?:\/\/|mailto:)/i, '').replace(/\/$/, '').toLowerCase();
  return bare(label) === bare(target) ? '' : ` (${target})`;
}

/** The index just past `mark` at or after `from`; the end of input when there is none. */
function after(html: string, mark: string, from: number): number {
  const at = html.indexOf(mark, from);
  return at < 0 ? html.length : at + mark.length;
}

function isLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isNameEnd(c: number): boolean {
  // whitespace, '/', '>' or the end of input (NaN)
  return Number.isNaN(c) || c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d || c === 0x2f || c === 0x3e;
}

function readName(html: string, from: number): string {
  let j = from;
  while (j < html.length && !isNameEnd(html.charCodeAt(j))) j++;
  return html.slice(from, j).toLowerCase();
}

/**
 * Reads `name attr=value …>` from just after the `<`: the lower-cased name, the href
 * (only an anchor needs one) and the index after the `>`. A tag left open at the end
 * of input is dropped with the rest, as a browser drops it.
 */
function readStartTag(html: string, from: number): { name: string; href: string | null; end: number } {
  const n = html.length;
  const name = readName(html, from);
  let href: string | null = null;
  let j = from + name.length;
  while (j < n) {
    const c = html.charCodeAt(j);
    if (c === 0x3e) return { name, href, end: j + 1 };
    if (isNameEnd(c)) { j++; continue; } // whitespace and '/'
    const attrStart = j;
    while (j < n && !isNameEnd(html.charCodeAt(j)) && html.charCodeAt(j) !== 0x3d /* = */) j++;
    const attr = html.slice(attrStart, j).toLowerCase();
    while (j < n && /\s/.test(html[j])) j++;
    if (html.charCodeAt(j) !== 0x3d) continue;
    j++;
    while (j < n && /\s/.test(html[j])) j++;
    let value: string;
    const q = html[j];
    if (q === '"' || q === "'") {
      const close = html.indexOf(q, j + 1);
      if (close < 0) return { name, href, end: n };
      value = html.slice(j + 1, close);
      j = close + 1;
    } else {
      const start = j;
      while (j < n && !/[\s>]/.test(html[j])) j++;
      value = html.slice(start, j);
    }
    if (name === 'a' && attr === 'href' && href === null) href = decodeHTML(value);
  }
  return { name, href, end: n };
}

/**
 * The index after `</name …>` at or after `from` (or the end of input): where the
 * content of a hidden element ends. `orBody`: a <head> also ends where <body> starts.
 */
function endTagAt(html: string, from: number, name: string, orBody: boolean): number {
  const n = html.length;
  for (let lt = html.indexOf('<', from); lt >= 0; lt = html.indexOf('<', lt + 1)) {
    if (html[lt + 1] === '/' && startsName(html, lt + 2, name)) return after(html, '>', lt + 2 + name.length);
    if (orBody && startsName(html, lt + 1, 'body')) return lt;
  }
  return n;
}

function startsName(html: string, at: number, name: string): boolean {
  return html.slice(at, at + name.length).toLowerCase() === name && isNameEnd(html.charCodeAt(at + name.length));
}

// Collects text with collapsed whitespace; breaks are held back until more text
// follows, so neither leading/trailing nor stacked block breaks pile up. Appends
// only: the output is never rescanned.
class TextSink {
  private parts: string[] = [];
  private started = false;
  private space = false; // a space is owed before the next word
  private pending = 0; // line breaks owed before the next word

  text(raw: string): void {
    const s = raw.replace(/\s+/g, ' ');
    const core = s.trim();
    if (core === '') {
      if (s !== '') this.space = true;
      return;
    }
    if (this.started) {
      if (this.pending > 0) this.parts.push('\n'.repeat(Math.min(this.pending, 2)));
      else if (this.space || s[0] === ' ') this.parts.push(' ');
    }
    this.parts.push(core);
    this.started = true;
    this.pending = 0;
    this.space = s.endsWith(' ');
  }

  lineBreak(): void {
    this.pending += 1;
  }

  blockBreak(n: number): void {
    this.pending = Math.max(this.pending, n);
  }

  result(): string {
    return this.parts.join('');
  }
}
