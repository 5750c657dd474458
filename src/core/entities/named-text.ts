/**
 * The text a query names an entity by, when it may name one: the whole query, trimmed, without the quotes around
 * it (`"Qin Gang"`); undefined for an empty query and for one with operators (inner quotes, exclusions), which
 * names none. The entity is then the one whose canonical name is that text with case, accents and punctuation
 * folded.
 */
export function namedText(q: string): string | undefined {
  const text = q.trim().replace(/^"(.*)"$/u, '$1');
  if (text === '' || text.includes('"') || /(^|\s)-\S/u.test(text)) return undefined;
  return text;
}
