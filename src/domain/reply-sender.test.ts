import { describe, expect, it } from 'vitest';
import { domainOf, isFreeMailDomain, replySender } from './reply-sender.ts';

describe('whose reply a message is', () => {
  it.each([
    ['lin@acme.com', 'lin@acme.com', 'lead'],
    ['Lin@ACME.com', 'lin@acme.com', 'lead'],
    ['sam@acme.com', 'lin@acme.com', 'colleague'],
    ['sam@ACME.COM', 'lin@acme.com', 'colleague'],
    ['sam@acme.co.uk', 'lin@acme.com', 'other'],
    ['sam@eu.acme.com', 'lin@acme.com', 'other'],
    ['sam@gmail.com', 'lin@gmail.com', 'other'],
    ['sam@yahoo.co.uk', 'lin@yahoo.co.uk', 'other'],
    ['sam@hotmail.fr', 'lin@hotmail.fr', 'other'],
    ['sam@web.de', 'lin@web.de', 'other'],
    ['stranger@elsewhere.example', 'lin@acme.com', 'other'],
    [null, 'lin@acme.com', 'other'],
  ] as const)('%s to the lead %s: %s', (from, lead, expected) => {
    expect(replySender(from, lead)).toBe(expected);
  });

  it('knows free-mail providers by name under any country domain, and not company domains that look alike', () => {
    for (const d of ['gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.co.uk', 'yahoo.com.br', 'icloud.com', 'gmx.de', 'proton.me', 'mail.ru']) {
      expect(isFreeMailDomain(d), d).toBe(true);
    }
    for (const d of ['acme.com', 'gmail-partners.com', 'mail.acme.com', 'outlook.acme.io', 'yahooligans.example']) {
      expect(isFreeMailDomain(d), d).toBe(false);
    }
  });

  it('reads the domain after the last @', () => {
    expect(domainOf('"a@b" <x@Acme.COM>'.replace(/.*</, '').replace('>', ''))).toBe('acme.com');
    expect(domainOf('no-at-sign')).toBeNull();
    expect(domainOf('x@localhost')).toBeNull();
  });
});
