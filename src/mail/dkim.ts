// DKIM signatures (RFC 6376) on outgoing mail, with nodemailer's signer: the sender
// composes each message once as bytes, and those bytes are signed just before they leave.
import { createPrivateKey } from 'node:crypto';
import DKIM from 'nodemailer/lib/dkim';

export interface DkimKey {
  /** d=: the signing domain, whose DNS publishes the public key at `selector._domainkey.domain`. */
  domain: string;
  /** s=: which of the domain's keys. */
  selector: string;
  /** PEM. */
  privateKey: string;
}

/** The message with a DKIM-Signature header on top (rsa-sha256, relaxed/relaxed). */
export async function signMessage(raw: Buffer, key: DkimKey): Promise<Buffer> {
  const signer = new DKIM({ domainName: key.domain, keySelector: key.selector, privateKey: key.privateKey });
  const chunks: Buffer[] = [];
  for await (const chunk of signer.sign(raw)) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks);
}

/** Longest PEM accepted: an RSA-8192 key is about 6.5 KB. */
export const MAX_DKIM_KEY_CHARS = 10_000;

/**
 * Why a PEM private key cannot sign, or null when it can: nodemailer signs rsa-sha256
 * only, so an Ed25519 key (RFC 8463) is refused with that reason; RSA keys under 1024
 * bits are refused as receivers ignore them (RFC 8301 §3.2).
 */
export function dkimKeyProblem(pem: string): string | null {
  if (pem.length > MAX_DKIM_KEY_CHARS) return `expected a PEM private key of at most ${MAX_DKIM_KEY_CHARS} characters`;
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) return 'expected a PEM private key (-----BEGIN PRIVATE KEY-----)';
  let key;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (e) {
    return `not a readable PEM private key (an encrypted key must be decrypted first): ${e instanceof Error ? e.message : String(e)}`;
  }
  if (key.asymmetricKeyType === 'ed25519') return 'an Ed25519 key cannot be used yet: messages are signed rsa-sha256, give an RSA key of 1024 bits or more';
  if (key.asymmetricKeyType !== 'rsa') return `expected an RSA private key, not ${key.asymmetricKeyType ?? 'this kind of key'}`;
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 1024) return `an RSA key of ${bits} bits is too short: receivers ignore DKIM keys under 1024 bits (2048 recommended)`;
  return null;
}
