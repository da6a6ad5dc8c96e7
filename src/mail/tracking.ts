// Open and click tracking, and the text/HTML conversions every outgoing email
// needs for its multipart/alternative body (RFC 2046 §5.1.4). Pure: no IO.
import { HTMLElement } from 'node-html-parser';

export interface TrackingOptions {
  openPixelUrl: string;
  clickUrl: (linkIndex: number) => string;
}

const TRACKABLE = /^https?:\/\//i;
// A URL holding control characters (CR/LF from a merge value, NUL…) is left as written
// and untracked rather than dropped: the message still sends, a mail client strips tabs
// and line breaks as browsers do, and the click route never has to put such a URL in
// a Location header, where CR/LF would split the response.
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Points every http(s) link at the click route and appends the open pixel.
 * `links[i]` is the original target of the link rewritten to `clickUrl(i)`, so the
 * click route can redirect only to a link that was really sent (no open redirect).
 * The unsubscribe link (`data-cadenza-unsubscribe`) stays untouched: it must work
 * even when the click route is down, and rewriting it would count it as a click.
 *
 * One pass over the markup, not a DOM: a DOM parser (node-html-parser) takes seconds on a
 * few hundred KB of unclosed nesting, and this runs for every email outside the render
 * limits. Tracking only needs the <a> start tags and </body>, so the cost is linear and
 * everything else is kept byte for byte. Only a tracked link's own tag goes through
 * node-html-parser, for its attribute rules and entity decoding.
 */
export function addTracking(html: string, opts: TrackingOptions): { html: string; links: string[] } {
  const links: string[] = [];
  const out: string[] = [];
  let copied = 0; // html[0, copied) is in `out`
  let bodyEnd = -1;
  let htmlEnd = -1;
  for (const tag of startAndEndTags(html)) {
    if (tag.closing) {
      if (tag.name === 'body') bodyEnd = tag.start;
      else if (tag.name === 'html') htmlEnd = tag.start;
      continue;
    }
    if (tag.name !== 'a') continue;
    const a = new HTMLElement('a', {}, tag.attrs);
    const href = a.getAttribute('href')?.trim();
    if (!href || !TRACKABLE.test(href) || CONTROL.test(href) || a.hasAttribute('data-cadenza-unsubscribe')) continue;
    a.removeAttribute('href'); // also drops an upper-case HREF, so one href remains
    a.setAttribute('href', escapeAmpersands(opts.clickUrl(links.length)));
    links.push(href);
    out.push(html.slice(copied, tag.start), `<a ${a.rawAttrs}>`);
    copied = tag.end;
  }
  const pixel =
    `<img src="${escapeHtml(opts.openPixelUrl)}" width="1" height="1" alt="" style="display:none">`;
  const at = bodyEnd >= 0 ? bodyEnd : htmlEnd >= 0 ? htmlEnd : html.length;
  if (at < copied) throw new Error('tracking: </body> before a rewritten link'); // cannot happen: tags come in order
  out.push(html.slice(copied, at), pixel, html.slice(at));
  return { html: out.join(''), links };
}

interface Tag {
  name: string; // lower case
  closing: boolean;
  /** The text between the name and `>` (start tags). */
  attrs: string;
  start: number;
  /** Just past its `>`. */
  end: number;
}

// Elements whose content is text, not markup (HTML's raw text and escapable raw text elements).
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes']);
const TAG_NAME = /<(\/?)([a-zA-Z][^\s/>]*)/y;

/**
 * The tags of a document in order, as a browser's tokenizer finds them: comments
 * (and Outlook's conditional comments), doctypes and raw text (<style>, <script>) are
 * skipped, and a quoted attribute may hold a `>`. Each character is read a bounded
 * number of times.
 */
function* startAndEndTags(html: string): Generator<Tag> {
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) return;
    if (html.startsWith('<!--', lt)) {
      const close = html.indexOf('-->', lt + 4);
      if (close < 0) return;
      i = close + 3;
      continue;
    }
    if (html[lt + 1] === '!' || html[lt + 1] === '?') {
      const close = html.indexOf('>', lt);
      if (close < 0) return;
      i = close + 1;
      continue;
    }
    TAG_NAME.lastIndex = lt;
    const m = TAG_NAME.exec(html);
    if (!m) {
      i = lt + 1;
      continue;
    }
    const afterName = lt + m[0].length;
    const gt = tagEnd(html, afterName);
    if (gt < 0) return; // a tag left open at the end is no tag
    const name = m[2].toLowerCase();
    const closing = m[1] === '/';
    yield { name, closing, attrs: html.slice(afterName, gt), start: lt, end: gt + 1 };
    i = gt + 1;
    if (!closing && RAW_TEXT.has(name)) {
      const rawEnd = new RegExp(`</${name}[\\s/>]`, 'gi');
      rawEnd.lastIndex = i;
      const found = rawEnd.exec(html);
      if (!found) return;
      i = found.index;
    }
  }
}

/** The index of the `>` that ends a tag whose attributes start at `i`, or -1. */
function tagEnd(html: string, i: number): number {
  while (i < html.length) {
    const c = html[i];
    if (c === '>') return i;
    i++;
    if (c !== '=') continue;
    while (i < html.length && /\s/.test(html[i])) i++;
    const quote = html[i];
    if (quote === '"' || quote === "'") {
      const close = html.indexOf(quote, i + 1);
      if (close < 0) return -1;
      i = close + 1;
    } else {
      while (i < html.length && html[i] !== '>' && !/\s/.test(html[i])) i++;
    }
  }
  return -1;
}

// setAttribute escapes quotes but not '&'; we escape it so the attribute is well formed.
function escapeAmpersands(s: string): string {
  return s.replace(/&/g, '&amp;');
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
};

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** Plain text to an HTML fragment: escaped, one <br> per line break. */
export function htmlFromText(text: string): string {
  return escapeHtml(text).replace(/\r\n|\r|\n/g, '<br>');
}
