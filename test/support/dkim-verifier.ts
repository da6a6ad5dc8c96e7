import { createPublicKey, type KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';

/** mailauth (Postal Systems' DKIM/SPF/DMARC library): an independent verifier of our signatures. */
const { dkimVerify } = createRequire(import.meta.url)('mailauth/lib/dkim/verify.js') as {
  dkimVerify(input: Buffer, options: { resolver: (name: string, type: string) => Promise<string[][]> }): Promise<{
    results: Array<{ signingDomain: string; selector: string; status: { result: string; comment?: string } }>;
  }>;
};

/**
 * Verifies a message's DKIM signatures as a receiving server would, with DNS answered
 * from `keys`: the TXT record `selector._domainkey.domain` carries the public key.
 */
export async function verifyDkim(raw: Buffer, keys: Record<string, KeyObject | string>) {
  const resolver = async (name: string, type: string) => {
    const key = keys[name.toLowerCase()];
    if (type !== 'TXT' || !key) throw Object.assign(new Error(`no ${type} record for ${name}`), { code: 'ENOTFOUND' });
    const pub = typeof key !== 'string' && key.type === 'public' ? key : createPublicKey(key);
    const der = pub.export({ type: 'spki', format: 'der' }).toString('base64');
    return [[`v=DKIM1; k=rsa; p=${der}`]];
  };
  const { results } = await dkimVerify(raw, { resolver });
  return results.map((r) => ({ domain: r.signingDomain, selector: r.selector, result: r.status.result, comment: r.status.comment }));
}
