import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An OAuth 2.0 token endpoint on loopback (RFC 6749 §6, refresh_token grants), as
 * Google's and Microsoft's answer them: counts its calls, issues numbered access tokens
 * for the one client and refresh token it knows, and answers invalid_grant once the
 * grant is revoked.
 */
export class TokenEndpoint {
  calls = 0;
  /** Access tokens issued, in order; the last is the one in use. */
  readonly issued: string[] = [];
  revoked = false;
  expiresIn = 3600;
  /** Hand a new refresh token back with each access token, as Microsoft does; the former ones still work. */
  rotate = false;
  readonly former = new Set<string>();
  /** The refresh token each request gave, in order. */
  readonly used: string[] = [];
  private readonly server: Server;

  constructor(readonly client: { id: string; secret: string }, public refreshToken: string) {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        this.calls++;
        const form = new URLSearchParams(body);
        const answer = (status: number, json: object) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
        if (req.method !== 'POST' || form.get('grant_type') !== 'refresh_token') return answer(400, { error: 'unsupported_grant_type' });
        if (form.get('client_id') !== this.client.id || form.get('client_secret') !== this.client.secret) return answer(401, { error: 'invalid_client' });
        const given = form.get('refresh_token') ?? '';
        this.used.push(given);
        if (this.revoked || (given !== this.refreshToken && !this.former.has(given))) {
          return answer(400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
        }
        const token = `ya29.token-${this.issued.length + 1}`;
        this.issued.push(token);
        let refresh: { refresh_token?: string } = {};
        if (this.rotate) {
          this.former.add(this.refreshToken);
          this.refreshToken = `${this.refreshToken.split('~')[0]}~${this.former.size}`;
          refresh = { refresh_token: this.refreshToken };
        }
        answer(200, { access_token: token, expires_in: this.expiresIn, token_type: 'Bearer', scope: 'https://mail.google.com/', ...refresh });
      });
    });
  }

  get current(): string | undefined {
    return this.issued[this.issued.length - 1];
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/token`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
