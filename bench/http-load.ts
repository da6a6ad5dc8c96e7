import http from 'node:http';

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface LoadResult {
  /** Requests a second over the whole run. */
  rate: number;
  /** Milliseconds from sending a request to the end of its answer. */
  p50: number;
  p99: number;
}

/**
 * `n` requests from `clients` clients, each sending its next request as soon as its
 * last one is answered, over kept-alive connections. Plain node:http: fetch (undici)
 * costs the client about 0.2 ms of CPU a request, which on a small machine would be
 * taken from the server measured.
 */
export async function load(base: string, n: number, clients: number, request: (i: number) => LoadRequest, status: number): Promise<LoadResult> {
  const { hostname, port } = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const latencies: number[] = [];
  const one = (r: LoadRequest) => new Promise<void>((resolve, reject) => {
    const body = r.body === undefined ? undefined : JSON.stringify(r.body);
    const start = performance.now();
    const req = http.request({
      host: hostname, port, method: r.method, path: r.path, agent,
      headers: { ...r.headers, ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        latencies.push(performance.now() - start);
        if (res.statusCode === status) resolve();
        else reject(new Error(`${r.method} ${r.path}: ${res.statusCode} ${Buffer.concat(chunks).toString().slice(0, 300)}`));
      });
    });
    req.on('error', reject);
    req.end(body);
  });
  let next = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    while (next < n) await one(request(next++));
  }));
  const ms = performance.now() - start;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { rate: (n / ms) * 1000, p50: at(0.5), p99: at(0.99) };
}
