/**
 * Where to go after sign-in: a path of this app only (`/leads/1?x=y`), never another
 * site (`//evil.example`, `https://…`), so the `redirect` search param is no open redirect.
 */
export function safeRedirect(target: string | undefined, fallback = '/today'): string {
  if (!target || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return fallback;
  if (target.startsWith('/sign-in') || target.startsWith('/sign-out') || target.startsWith('/setup')) return fallback;
  return target;
}
