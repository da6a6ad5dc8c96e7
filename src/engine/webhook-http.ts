import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** An endpoint's answer: its status, the headers a retry reads, the start of its body. */
export interface WebhookAnswer {
  status: number;
  retryAfter: string | null;
  location: string | null;
  /** At most `limit` characters; null when empty. */
  text: string | null;
}

/** No answer within the attempt's time. */
export class AttemptTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs / 1000} s`);
  }
}

/**
 * POSTs webhooks over keep-alive connections (node:http and node:https agents): about a
 * quarter of fetch's CPU a request, which at a thousand deliveries a second is most of a
 * worker's. Never follows a redirect; each request, answer included, is bounded by its
 * timeout; at most `limit` characters of an answer are read, the rest is not (the
 * connection is dropped instead).
 */
export class WebhookHttp {
  private readonly agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  private readonly live = new Set<ClientRequest>();

  post(url: URL, headers: Record<string, string>, body: string, timeoutMs: number, limit: number): Promise<WebhookAnswer> {
    return this.send(url, headers, body, timeoutMs, limit, true);
  }

  /** Ends every request out (they fail) and the idle connections. */
  close(): void {
    for (const req of this.live) req.destroy(new Error('the dispatcher stopped'));
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private send(url: URL, headers: Record<string, string>, body: string, timeoutMs: number, limit: number, mayRetry: boolean): Promise<WebhookAnswer> {
    const https = url.protocol === 'https:';
    return new Promise<WebhookAnswer>((resolve, reject) => {
      const req = (https ? httpsRequest : httpRequest)(url, {
        method: 'POST',
        agent: https ? this.agents.https : this.agents.http,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      });
      this.live.add(req);
      const timer = setTimeout(() => req.destroy(new AttemptTimeout(timeoutMs)), timeoutMs);
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.live.delete(req);
        fn();
      };
      req.on('error', (e: NodeJS.ErrnoException) => {
        // A kept-alive connection the server closed as this request went out: the
        // request never reached it, so it is sent once more on a fresh connection.
        if (mayRetry && req.reusedSocket && e.code === 'ECONNRESET' && !settled) {
          settle(() => this.send(url, headers, body, timeoutMs, limit, false).then(resolve, reject));
          return;
        }
        settle(() => reject(e));
      });
      req.on('response', (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const answer = () => {
          const text = Buffer.concat(chunks).toString('utf8').slice(0, limit);
          const header = (name: string) => {
            const v = res.headers[name];
            return typeof v === 'string' ? v : null;
          };
          settle(() => resolve({ status: res.statusCode ?? 0, retryAfter: header('retry-after'), location: header('location'), text: text === '' ? null : text }));
        };
        res.on('data', (chunk: Buffer) => {
          if (size < limit * 4) chunks.push(chunk); // utf-8: up to 4 bytes a character
          size += chunk.length;
          if (size >= limit * 4) res.destroy(); // enough: the rest is never read
        });
        // The status is the answer: a body cut short (by the limit, the timeout) still counts.
        res.on('end', answer);
        res.on('close', answer);
        res.on('error', () => {});
      });
      req.end(body);
    });
  }
}
