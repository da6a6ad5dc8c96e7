import type { MailboxInput } from '../contract/users.ts';
import { dkimKeyProblem } from '../mail/dkim.ts';
import type { MailboxRow } from '../store/schema.ts';
import type { IdentityColumns } from '../store/mailbox-credentials.repository.ts';
import { AppError, invalid } from './errors.ts';

/**
 * A mailbox's DKIM key and OAuth grant as a PUT leaves them (issue 14, part 6). Their
 * secrets are never answered, so what GET answers must PUT back unchanged: a left-out
 * `dkim`/`oauth` keeps what is stored, and one without its secrets keeps the stored
 * secrets when it names the same key or client. Null removes it. Only an admin sets
 * them; a rep may send back what it was shown.
 */

type Stored = Partial<Pick<MailboxRow, keyof IdentityColumns>> | undefined;

const fail = (path: string, message: string) => invalid(`${path}: ${message}`, [{ path, message }]);

export function identityColumns(input: Pick<MailboxInput, 'dkim' | 'oauth'>, stored: Stored, admin: boolean, smtpUrl: string | null): IdentityColumns {
  const before: IdentityColumns = {
    dkim_domain: stored?.dkim_domain ?? null,
    dkim_selector: stored?.dkim_selector ?? null,
    dkim_private_key: stored?.dkim_private_key ?? null,
    oauth_provider: stored?.oauth_provider ?? null,
    oauth_client_id: stored?.oauth_client_id ?? null,
    oauth_client_secret: stored?.oauth_client_secret ?? null,
    oauth_refresh_token: stored?.oauth_refresh_token ?? null,
  };
  const after = { ...before, ...dkimColumns(input.dkim, before), ...oauthColumns(input.oauth, before) };
  if (!admin) {
    const changed = [
      ...(after.dkim_domain !== before.dkim_domain || after.dkim_selector !== before.dkim_selector || after.dkim_private_key !== before.dkim_private_key ? ['dkim'] : []),
      ...((Object.keys(before) as Array<keyof IdentityColumns>).some((k) => k.startsWith('oauth_') && after[k] !== before[k]) ? ['oauth'] : []),
    ];
    if (changed.length > 0) {
      throw new AppError('forbidden', `body.${changed[0]}: an admin must set ${changed.join(', ')}`, changed.map((f) => ({ path: `body.${f}`, message: 'an admin must set this' })));
    }
  }
  // XOAUTH2 signs in to the mailbox's own server: the server's SMTP_URL is not the provider's.
  if (after.oauth_provider && smtpUrl === null) {
    throw fail('body.smtpUrl', `an OAuth mailbox names its provider's SMTP server, e.g. ${after.oauth_provider === 'google' ? 'smtp://smtp.gmail.com:587' : 'smtp://smtp.office365.com:587'}`);
  }
  return after;
}

function dkimColumns(dkim: MailboxInput['dkim'], before: IdentityColumns): Partial<IdentityColumns> {
  if (dkim === undefined) return {};
  if (dkim === null) return { dkim_domain: null, dkim_selector: null, dkim_private_key: null };
  let key = before.dkim_private_key;
  if (dkim.privateKey !== undefined) {
    const problem = dkimKeyProblem(dkim.privateKey);
    if (problem) throw fail('body.dkim.privateKey', problem);
    key = dkim.privateKey;
  }
  if (key === null) throw fail('body.dkim.privateKey', 'required: this mailbox has no DKIM key yet');
  return { dkim_domain: dkim.domain, dkim_selector: dkim.selector, dkim_private_key: key };
}

function oauthColumns(oauth: MailboxInput['oauth'], before: IdentityColumns): Partial<IdentityColumns> {
  if (oauth === undefined) return {};
  if (oauth === null) return { oauth_provider: null, oauth_client_id: null, oauth_client_secret: null, oauth_refresh_token: null };
  // A refresh token belongs to the client it was issued to: another client needs its own.
  const sameClient = oauth.provider === before.oauth_provider && oauth.clientId === before.oauth_client_id;
  const secret = oauth.clientSecret ?? (sameClient ? before.oauth_client_secret : null);
  const refresh = oauth.refreshToken ?? (sameClient ? before.oauth_refresh_token : null);
  const why = sameClient ? 'required: this mailbox has none stored' : 'required: a new client or provider needs its own';
  if (secret === null) throw fail('body.oauth.clientSecret', why);
  if (refresh === null) throw fail('body.oauth.refreshToken', why);
  return { oauth_provider: oauth.provider, oauth_client_id: oauth.clientId, oauth_client_secret: secret, oauth_refresh_token: refresh };
}
