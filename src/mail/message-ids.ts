// Message-ID lists as mail carries them (RFC 5322 §3.6.4): `<id-left@id-right>`, with
// comments between, and some clients drop the brackets.

export function messageIds(value: string | undefined): string[] {
  if (!value) return [];
  const bracketed = value.match(/<[^<>\s]+>/g);
  if (bracketed) return unique(bracketed);
  return unique(value.split(/[\s,]+/).filter((t) => t.includes('@')).map((t) => `<${t}>`));
}

export function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
