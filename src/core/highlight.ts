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

/** Escapes `marked` for HTML and turns {@link MARK_OPEN}/{@link MARK_CLOSE} pairs into `<mark>`/`</mark>`. */
export function renderMarked(marked: string): string {
  // eslint-disable-next-line no-control-regex -- stripping stray control characters is the point
  const clean = marked.replace(/[\u0000\u0001\u0004-\u0008]/g, '');
  return escapeHtml(clean).replaceAll(MARK_OPEN, '<mark>').replaceAll(MARK_CLOSE, '</mark>');
}
