/**
 * Highlighting without trusting the text: engines wrap matches in two control characters that never occur in
 * article text, and {@link renderMarked} escapes everything else for HTML before turning them into `<mark>` tags.
 */
export const MARK_OPEN = '\u0002';
export const MARK_CLOSE = '\u0003';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes the five HTML-significant characters. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/**
 * What {@link renderMarked} writes for each char code below 63 ('?'), undefined for the char itself: stray control
 * characters dropped, marks as tags, the five escaped. A packed array (no holes), read once per char.
 */
const RENDERED: readonly (string | undefined)[] = Array.from({ length: 63 }, (_, c) => {
  const char = String.fromCharCode(c);
  if (char === MARK_OPEN) return '<mark>';
  if (char === MARK_CLOSE) return '</mark>';
  return c <= 8 ? '' : ESCAPES[char];
});

/**
 * Escapes `marked` for HTML and turns {@link MARK_OPEN}/{@link MARK_CLOSE} pairs into `<mark>`/`</mark>`, dropping
 * the other control characters below U+0009: one pass over the text (a page renders 40 of them).
 */
export function renderMarked(marked: string): string {
  let out = '';
  let at = 0;
  for (let i = 0; i < marked.length; i++) {
    const c = marked.charCodeAt(i);
    if (c > 62) continue;
    const rendered = RENDERED[c];
    if (rendered === undefined) continue;
    out += marked.slice(at, i) + rendered;
    at = i + 1;
  }
  return at === 0 ? marked : out + marked.slice(at);
}
