/** A message as a sentence: "wrong password" → "Wrong password." (server and zod messages are lower-case phrases). */
export function sentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  return `${t[0].toUpperCase()}${t.slice(1)}${/[.!?…]$/.test(t) ? '' : '.'}`;
}
