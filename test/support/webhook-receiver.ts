import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** What a path of the receiver does with a request. */
export type Behaviour =
  | { kind: 'answer'; status: number; headers?: Record<string, string>; body?: string }
  /** Holds the request without answering until `release()` (or the client gives up). */
  | { kind: 'hang' };

export interface ReceivedRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * A webhook receiver on 127.0.0.1 for tests: each path (`/<name>`) answers as it is told
 * (2xx, 500, 410, a redirect, a 429 with Retry-After…) or hangs until released. It keeps
 * every request, and the most requests any path had open at once.
 */
export class WebhookReceiver extends EventEmitter {
  readonly received: ReceivedRequest[] = [];
  /** The most requests each path held open at once. */
  readonly peakOpen = new Map<string, number>();
  private readonly behaviours = new Map<string, Behaviour>();
  private readonly held: Array<{ path: string; res: ServerResponse }> = [];
  private readonly open = new Map<string, number>();
  private server: Server | null = null;
  base = '';

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const { port } = this.server.address() as { port: number };
    this.base = `http://127.0.0.1:${port}`;
    return this.base;
  }

  /** The URL of a path answering as `behaviour` (200 by default). */
  url(name: string, behaviour: Behaviour = { kind: 'answer', status: 200 }): string {
    this.behaviours.set(`/${name}`, behaviour);
    return `${this.base}/${name}`;
  }

  behave(name: string, behaviour: Behaviour): void {
    this.behaviours.set(`/${name}`, behaviour);
  }

  of(name: string): ReceivedRequest[] {
    return this.received.filter((r) => r.path === `/${name}`);
  }

  /** Resolves once `name` has received `n` requests in all. */
  async waitFor(name: string, n: number): Promise<void> {
    while (this.of(name).length < n) await once(this, 'request');
  }

  /** Answers every held request of `name` (or of every path) with `status`. */
  release(name?: string, status = 200): void {
    for (const h of this.held.splice(0)) {
      if (name !== undefined && h.path !== `/${name}`) {
        this.held.push(h);
        continue;
      }
      if (!h.res.destroyed) h.res.writeHead(status, { 'content-type': 'text/plain' }).end('released');
    }
  }

  async stop(): Promise<void> {
    for (const h of this.held.splice(0)) h.res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    this.received.push({ path, headers, body: Buffer.concat(chunks).toString('utf8') });
    const open = (this.open.get(path) ?? 0) + 1;
    this.open.set(path, open);
    this.peakOpen.set(path, Math.max(this.peakOpen.get(path) ?? 0, open));
    res.on('close', () => this.open.set(path, (this.open.get(path) ?? 1) - 1));
    const b = this.behaviours.get(path) ?? { kind: 'answer', status: 404 };
    if (b.kind === 'hang') this.held.push({ path, res });
    else res.writeHead(b.status, { 'content-type': 'text/plain', ...b.headers }).end(b.body ?? 'ok');
    // After it is held: a listener may release it at once.
    this.emit('request', path);
  }
}
