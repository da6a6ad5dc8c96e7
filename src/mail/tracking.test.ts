import { describe, it, expect } from 'vitest';
import { parse } from 'node-html-parser';
import { addTracking, htmlFromText } from './tracking.ts';
import { htmlToText } from '../domain/html-text.ts';

const opts = {
  openPixelUrl: 'https://t.example.com/o/abc?x=1&y=2',
  clickUrl: (i: number) => `https://t.example.com/c/abc/${i}`,
};

function hrefs(html: string): string[] {
  return parse(html).querySelectorAll('a').map((a) => a.getAttribute('href') ?? '');
}

describe('addTracking', () => {
  it('rewrites http(s) links in order and collects the original targets', () => {
    const html = `<html><body>
      <p>See <a href="https://example.com/pricing?a=1&amp;b=2">pricing</a>
      and <a class="x" HREF="http://example.org/">us</a>,
      again <a href="https://example.com/pricing?a=1&amp;b=2">pricing</a>.</p>
    </body></html>`;
    const out = addTracking(html, opts);
    expect(out.links).toEqual([
      'https://example.com/pricing?a=1&b=2',
      'http://example.org/',
      'https://example.com/pricing?a=1&b=2',
    ]);
    expect(hrefs(out.html)).toEqual([0, 1, 2].map(opts.clickUrl));
    expect(out.html).toContain('class="x"');
  });

  it('leaves mailto:, tel:, anchors and the unsubscribe link alone', () => {
    const html = `<body>
      <a href="mailto:rep@example.com">mail</a>
      <a href="tel:+4930123">call</a>
      <a href="#top">top</a>
      <a>no href</a>
      <a href="https://app.example.com/u/tok" data-cadenza-unsubscribe>Unsubscribe</a>
      <a href=" https://example.com/x ">x</a>
    </body>`;
    const out = addTracking(html, opts);
    expect(out.links).toEqual(['https://example.com/x']);
    expect(hrefs(out.html)).toEqual([
      'mailto:rep@example.com',
      'tel:+4930123',
      '#top',
      '',
      'https://app.example.com/u/tok',
      opts.clickUrl(0),
    ]);
  });

  it('escapes ampersands in the click URL attribute', () => {
    const out = addTracking('<a href="https://a.example">a</a>', {
      ...opts,
      clickUrl: () => 'https://t.example.com/c?e=1&l=0',
    });
    expect(out.html).toContain('href="https://t.example.com/c?e=1&amp;l=0"');
    expect(hrefs(out.html)).toEqual(['https://t.example.com/c?e=1&l=0']);
  });

  it('puts the open pixel just before </body>', () => {
    const out = addTracking('<html><body><p>Hi</p></body></html>', opts);
    expect(out.html).toBe(
      '<html><body><p>Hi</p>' +
        '<img src="https://t.example.com/o/abc?x=1&amp;y=2" width="1" height="1" alt="" style="display:none">' +
        '</body></html>',
    );
    expect(out.links).toEqual([]);
  });

  it('appends the pixel at the end of a fragment', () => {
    const out = addTracking('Hello <b>there</b>', opts);
    expect(out.html).toMatch(/^Hello <b>there<\/b><img src="https:\/\/t\.example\.com\/o\/abc\?x=1&amp;y=2"/);
  });

  it('keeps the doctype, styles and Outlook conditional comments', () => {
    const html =
      '<!DOCTYPE html><html><head><style>a{color:red}</style><!--[if mso]><style>x{}</style><![endif]--></head>' +
      '<body><a href="https://a.example">a</a></body></html>';
    const out = addTracking(html, opts);
    expect(out.html.startsWith('<!DOCTYPE html><html><head><style>a{color:red}</style><!--[if mso]>')).toBe(true);
  });

  it('reads tags as a browser does: quoted ">", comments, styles and scripts hold no links', () => {
    const html =
      '<p title="a > b"><a title=\'x>y\' href=https://a.example/1>one</a></p>' +
      '<!-- <a href="https://hidden.example">x</a> </body> -->' +
      '<style>a[href^="https://"]{}</style><script>"<a href=\\"https://s.example\\">"</script>' +
      '<A HREF="https://b.example/2" >two</A>';
    const out = addTracking(html, opts);
    expect(out.links).toEqual(['https://a.example/1', 'https://b.example/2']);
    expect(out.html).toContain('<p title="a > b">');
    expect(out.html).toContain('<!-- <a href="https://hidden.example">x</a> </body> -->');
    expect(out.html.endsWith('>two</A><img src="https://t.example.com/o/abc?x=1&amp;y=2" width="1" height="1" alt="" style="display:none">')).toBe(true);
  });

  it('tracks a body of 300 KB of unclosed nesting, which a DOM parser takes minutes over', () => {
    const html = `<html><body>${'<div>'.repeat(60_000)}<a href="https://deep.example">deep</a></body></html>`;
    const out = addTracking(html, opts);
    expect(out.links).toEqual(['https://deep.example']);
    expect(out.html).toBe(html.replace('https://deep.example', opts.clickUrl(0)).replace('</body>', `${out.html.match(/<img[^>]*>/)![0]}</body>`));
  });
});

describe('htmlFromText', () => {
  it('escapes markup and turns line breaks into <br>', () => {
    expect(htmlFromText(`Hi "Ann" & <Bob>,\r\nit's me.\nBye`)).toBe(
      'Hi &quot;Ann&quot; &amp; &lt;Bob&gt;,<br>it&#39;s me.<br>Bye',
    );
  });
});

describe('htmlFromText and htmlToText', () => {
  it('round-trip: the plain text of an email written as text is that text', () => {
    const text = 'Line <1> & "2"\nLine 3';
    expect(htmlToText(htmlFromText(text))).toBe(text);
  });
});
