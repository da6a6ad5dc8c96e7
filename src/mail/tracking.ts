// Open and click tracking, and the text/HTML conversions every outgoing email
// needs for its multipart/alternative body (RFC 2046 §5.1.4). Pure: no IO.
import { parse, HTMLElement, TextNode, type Node } from 'node-html-parser';

export interface TrackingOptions {
  openPixelUrl: string;
  clickUrl: (linkIndex: number) => string;
}

// Keep conditional comments (<!--[if mso]>) that email HTML relies on for Outlook.
const PARSE_OPTIONS = { comment: true } as const;

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
 */
export function addTracking(html: string, opts: TrackingOptions): { html: string; links: string[] } {
  const root = parse(html, PARSE_OPTIONS);
  const links: string[] = [];
  for (const a of root.querySelectorAll('a')) {
    const href = a.getAttribute('href')?.trim();
    if (!href || !TRACKABLE.test(href) || CONTROL.test(href) || a.hasAttribute('data-cadenza-unsubscribe')) continue;
    a.removeAttribute('href'); // also drops an upper-case HREF, so one href remains
    a.setAttribute('href', escapeAmpersands(opts.clickUrl(links.length)));
    links.push(href);
  }
  const pixel =
    `<img src="${escapeHtml(opts.openPixelUrl)}" width="1" height="1" alt="" style="display:none">`;
  const container = root.querySelector('body') ?? root.querySelector('html') ?? root;
  container.insertAdjacentHTML('beforeend', pixel);
  return { html: root.toString(), links };
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

// Elements whose content a reader never sees.
const HIDDEN = new Set(['head', 'script', 'style', 'title', 'template', 'noscript']);
// Paragraph-like blocks are set apart by a blank line, other blocks by a line break.
const PARAGRAPH = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'table', 'ul', 'ol', 'pre', 'hr']);
const BLOCK = new Set([
  'div', 'tr', 'li', 'section', 'article', 'header', 'footer', 'address', 'dd', 'dt', 'dl',
  'center', 'form', 'fieldset', 'figure', 'main', 'nav', 'aside', 'body', 'html', 'tbody', 'thead',
]);

/** A readable text/plain alternative: links kept as `text (url)`, blocks as line breaks. */
export function textFromHtml(html: string): string {
  const sink = new TextSink();
  render(parse(html), sink);
  return sink.result();
}

function render(node: Node, sink: TextSink): void {
  if (node instanceof TextNode) {
    // node-html-parser keeps a doctype as a text node.
    if (!node.rawText.trimStart().startsWith('<!')) sink.text(node.text);
    return;
  }
  if (!(node instanceof HTMLElement)) return; // comments
  const tag = node.tagName?.toLowerCase() ?? '';
  if (HIDDEN.has(tag)) return;
  if (tag === 'br') return sink.lineBreak();
  const gap = PARAGRAPH.has(tag) ? 2 : BLOCK.has(tag) ? 1 : 0;
  sink.blockBreak(gap);
  if (tag === 'li') sink.text('- ');
  for (const child of node.childNodes) render(child, sink);
  if (tag === 'a') sink.text(linkSuffix(node));
  sink.blockBreak(gap);
}

// " (url)" after the link text, unless the text already shows the target.
function linkSuffix(a: HTMLElement): string {
  const href = a.getAttribute('href')?.trim() ?? '';
  if (!/^(https?:|mailto:)/i.test(href)) return '';
  const target = href.replace(/^mailto:/i, '');
  const label = a.text.replace(/\s+/g, ' ').trim();
  if (!label) return ` ${target}`; // an image link: show where it goes
  const bare = (s: string) => s.replace(/^(https?:\/\/|mailto:)/i, '').replace(/\/$/, '').toLowerCase();
  return bare(label) === bare(target) ? '' : ` (${target})`;
}

// Collects text with collapsed whitespace; breaks are held back until more text
// follows, so neither leading/trailing nor stacked block breaks pile up.
class TextSink {
  private out = '';
  private pending = 0;

  text(raw: string): void {
    const s = raw.replace(/\s+/g, ' ');
    if (s === '' || (s === ' ' && (this.pending > 0 || this.out === '' || this.out.endsWith(' ')))) return;
    if (this.pending > 0 && this.out !== '') {
      this.out = this.out.replace(/ +$/, '') + '\n'.repeat(Math.min(this.pending, 2));
      this.out += s.replace(/^ /, '');
    } else {
      this.out += this.out === '' || this.out.endsWith(' ') ? s.replace(/^ /, '') : s;
    }
    this.pending = 0;
  }

  lineBreak(): void {
    this.pending += 1;
  }

  blockBreak(n: number): void {
    this.pending = Math.max(this.pending, n);
  }

  result(): string {
    return this.out.trim();
  }
}
