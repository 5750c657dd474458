/**
 * Heuristics that tell an article's paragraphs from the site chrome around them in text taken from a web page:
 * teaser lists ("Latest articles", "More like this": short headlines and snippets cut off with an ellipsis),
 * share/print widgets and attribution lines. Pure functions over lines of text; no markup, no site names.
 */

/** How one line of page text reads. */
export type LineKind = 'text' | 'headline' | 'snippet';

/** Words of a longest teaser headline; longer unpunctuated lines are treated as text. */
const MAX_HEADLINE_WORDS = 24;
/** Runs of this many headlines in a row are a link list, not a subheading. */
const LIST_RUN = 3;

const ELLIPSIS_END = /(?:\.\.\.|…)\s*$/;
const SENTENCE_END = /[.!?;](?:["'”’»)\]]*)$/;
const WIDGET = /^(?:share(?: this(?: article| story)?)?|share on \w+|tweet|print|e-?mail|whatsapp|facebook|twitter|linkedin|copy link|advertisement|sponsored|read more|continue reading|comments?|\d+ comments?|follow us(?: on .*)?|subscribe(?: .*)?|sign up(?: .*)?|back to top|skip to (?:main )?content)$/i;
const SOURCE_LINE = /^(?:info\s*)?source\s*[-–—:]\s*(\S.{0,120})$/i;

/** Classifies a line: a sentence paragraph, a headline (short, unpunctuated) or a teaser snippet (ends in "…"). */
export function lineKind(line: string): LineKind {
  if (ELLIPSIS_END.test(line)) return 'snippet';
  if (SENTENCE_END.test(line)) return 'text';
  return line.split(/\s+/).length <= MAX_HEADLINE_WORDS ? 'headline' : 'text';
}

/** A share button, "Advertisement" or similar widget label on its own line. */
export const isWidgetLine = (line: string): boolean => WIDGET.test(line.trim());

/** The source named by an attribution line (`Source: X`, `Source - X`, `Info Source-X`), or undefined. */
export function attributionSource(line: string): string | undefined {
  return SOURCE_LINE.exec(line.trim())?.[1]?.trim();
}

/**
 * The lines that remain once chrome is removed: widgets, and runs of non-sentence lines (headlines, snippets)
 * that hold a snippet, are at least {@link LIST_RUN} long, or sit before the first or after the last sentence
 * paragraph. A lone headline between paragraphs is a subheading and is kept.
 */
export function dropChrome(lines: readonly string[]): string[] {
  const kept = lines.filter((l) => !isWidgetLine(l));
  const kinds = kept.map(lineKind);
  const firstText = kinds.indexOf('text');
  const lastText = kinds.lastIndexOf('text');
  if (firstText === -1) return [];
  const out: string[] = [];
  let i = firstText;
  while (i <= lastText) {
    if (kinds[i] === 'text') {
      out.push(kept[i]!);
      i++;
      continue;
    }
    let end = i;
    while (end <= lastText && kinds[end] !== 'text') end++;
    const run = kinds.slice(i, end);
    if (!run.includes('snippet') && run.length < LIST_RUN) out.push(...kept.slice(i, end));
    i = end;
  }
  return out;
}
