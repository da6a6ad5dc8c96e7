/**
 * An outbox message's HTML made inert for the preview: the open-tracking pixel is not
 * fetched (it would record an open) and links do not navigate (a click would record a
 * click). The iframe's sandbox already refuses scripts, forms and popups.
 */
export function inertHtml(html: string): string {
  const withoutPixels = html.replace(/<img\b[^>]*\bsrc\s*=\s*["'][^"']*\/t\/o\/[^"']*["'][^>]*>/gi, '');
  return `<base target="_blank"><style>a{pointer-events:none;cursor:default}body{font-family:system-ui,sans-serif;margin:12px}</style>${withoutPixels}`;
}
