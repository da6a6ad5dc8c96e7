/**
 * Whose reply a message is, as the exit rules see it (issue 14): the lead's own address,
 * a colleague at the lead's company (same email domain), or anyone else.
 */

/**
 * Free-mail providers: two people on gmail.com are not colleagues. By the provider's
 * name whatever the country domain (yahoo.co.uk, hotmail.fr, gmx.de), and a few more by
 * their exact domain. Short on purpose: a company domain missing here only matters when
 * a cadence counts replies from the lead's domain.
 */
const FREE_MAIL_NAMES = new Set([
  'gmail', 'googlemail', 'yahoo', 'ymail', 'rocketmail', 'hotmail', 'outlook', 'live', 'msn', 'aol', 'icloud', 'me', 'mac',
  'gmx', 'yandex', 'proton', 'protonmail', 'zoho', 'mail', 'inbox', 'fastmail', 'tutanota', 'hey', 'qq', '163', '126',
]);
const FREE_MAIL_DOMAINS = new Set([
  'pm.me', 'web.de', 'mail.ru', 'bk.ru', 'list.ru', 't-online.de', 'freenet.de', 'orange.fr', 'free.fr', 'laposte.net',
  'sfr.fr', 'wanadoo.fr', 'libero.it', 'virgilio.it', 'tiscali.it', 'seznam.cz', 'wp.pl', 'o2.pl', 'interia.pl', 'naver.com',
  'daum.net', 'hanmail.net', 'rediffmail.com', 'uol.com.br', 'bol.com.br', 'terra.com.br', 'btinternet.com', 'comcast.net',
  'verizon.net', 'att.net', 'sbcglobal.net', 'bigpond.com', 'shaw.ca', 'rogers.com', 'sina.com', 'foxmail.com',
]);
// The second-level labels of country domains: yahoo.co.uk's provider is "yahoo", not "co".
const COUNTRY_SECOND_LEVEL = new Set(['co', 'com', 'net', 'org', 'ne', 'or']);

/** The part after the last @, lower-cased; null when there is none. */
export function domainOf(address: string): string | null {
  const at = address.lastIndexOf('@');
  const domain = at >= 0 ? address.slice(at + 1).trim().toLowerCase().replace(/\.$/, '') : '';
  return domain.includes('.') ? domain : null;
}

export function isFreeMailDomain(domain: string): boolean {
  const d = domain.toLowerCase();
  if (FREE_MAIL_DOMAINS.has(d)) return true;
  const labels = d.split('.');
  // gmail.com, yahoo.fr: the label before the top level; yahoo.co.uk: the one before "co.uk".
  const provider = labels.length >= 3 && COUNTRY_SECOND_LEVEL.has(labels[labels.length - 2]) && labels[labels.length - 1].length === 2
    ? labels[labels.length - 3]
    : labels[labels.length - 2];
  return labels.length === 2 || labels.length === 3 ? FREE_MAIL_NAMES.has(provider ?? '') : false;
}

export function sameAddress(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

export type ReplySender = 'lead' | 'colleague' | 'other';

/**
 * `from` against the lead's address: the lead itself; a colleague (same domain, and not
 * a free-mail one); or someone else.
 */
export function replySender(from: string | null, leadEmail: string): ReplySender {
  if (!from) return 'other';
  if (sameAddress(from, leadEmail)) return 'lead';
  const mine = domainOf(from);
  return mine !== null && mine === domainOf(leadEmail) && !isFreeMailDomain(mine) ? 'colleague' : 'other';
}
