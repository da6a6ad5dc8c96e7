/**
 * The API as the tests use it to prepare a scene: signed in by a session cookie, as
 * the web app is, sending its Origin as a page of the app would (the server refuses
 * cookie writes from anywhere else).
 */
export class ApiError extends Error {
  constructor(readonly status: number, readonly body: string, where: string) {
    super(`${where} answered ${status}: ${body.slice(0, 500)}`);
  }
}

export class Api {
  private constructor(readonly base: string, private readonly cookie: string) {}

  /** Signs in with a password (POST /api/session) and keeps the session cookie. */
  static async signIn(base: string, email: string, password: string): Promise<Api> {
    const res = await fetch(`${base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ email, password }),
    });
    if (res.status !== 200) throw new ApiError(res.status, await res.text(), `POST /api/session as ${email}`);
    const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    return new Api(base, cookie);
  }

  /** The session a browser holds (its context's cookies for `base`). */
  static fromCookies(base: string, cookies: Array<{ name: string; value: string }>): Api {
    return new Api(base, cookies.map((c) => `${c.name}=${c.value}`).join('; '));
  }

  async call<T = any>(method: string, path: string, body?: unknown, expected?: number): Promise<T> {
    const res = await fetch(this.base + path, {
      method,
      headers: { cookie: this.cookie, origin: this.base, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (expected !== undefined ? res.status !== expected : res.status >= 400) throw new ApiError(res.status, text, `${method} ${path}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  get = <T = any>(path: string) => this.call<T>('GET', path);
  post = <T = any>(path: string, body?: unknown, expected?: number) => this.call<T>('POST', path, body ?? {}, expected);
  put = <T = any>(path: string, body: unknown) => this.call<T>('PUT', path, body);

  /** Moves the manual clock (CADENZA_CLOCK=manual) and waits until the engine has done what fell due. */
  advanceClock(duration: string): Promise<{ now: string }> {
    return this.post('/api/dev/clock', { advance: duration });
  }
}
