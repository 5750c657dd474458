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

/** Characters of a line in scripts written without spaces (Chinese, Japanese) that make it a paragraph, not a headline. */
const MIN_UNSPACED_TEXT = 40;

const ELLIPSIS_END = /(?:\.\.\.|…)\s*$/;
/** A sentence's end in Latin, CJK (full-width `。！？；：`), Arabic (`؟` `۔`), Devanagari (`।`) scripts, closing quotes after it. */
const SENTENCE_END = /[.!?;:。！？；：؟۔।](?:["'”’»)\]」』）】]*)$/;
/** A list item or changelog line: a bullet, a dash or a number in front (`- fixed…`, `• …`, `3) …`). */
const LIST_ITEM = /^(?:[-–—*•·▪►✓✔]|\d{1,3}[.)])\s+\S/;
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/gu;
const WIDGET = /^(?:share(?: this(?: article| story)?)?|share on \w+|tweet|print|e-?mail|whatsapp|facebook|twitter|linkedin|copy link|advertisement|sponsored|read more|continue reading|comments?|\d+ comments?|follow us(?: on .*)?|subscribe(?: .*)?|sign up(?: .*)?|back to top|skip to (?:main )?content)$/i;
const SOURCE_LINE = /^(?:info\s*)?source\s*[-–—:]\s*(\S.{0,120})$/i;

/** Classifies a line: a sentence paragraph, a headline (short, unpunctuated) or a teaser snippet (ends in "…"). */
export function lineKind(line: string): LineKind {
  if (ELLIPSIS_END.test(line)) return 'snippet';
  if (SENTENCE_END.test(line) || LIST_ITEM.test(line)) return 'text';
  if ((line.match(UNSPACED)?.length ?? 0) >= MIN_UNSPACED_TEXT) return 'text';
  return line.split(/\s+/).length <= MAX_HEADLINE_WORDS ? 'headline' : 'text';
}

/** A share button, "Advertisement" or similar widget label on its own line. */
export const isWidgetLine = (line: string): boolean => WIDGET.test(line.trim());

/** The source named by an attribution line (`Source: X`, `Source - X`, `Info Source-X`), or undefined. */
export function attributionSource(line: string): string | undefined {
  return SOURCE_LINE.exec(line.trim())?.[1]?.trim();
}

/** A line's share of link text at or above which, in a page, a non-sentence line may be a teaser. */
const TEASER_LINK_SHARE = 0.5;

/**
 * The lines that remain once chrome is removed: widgets, and runs of non-sentence lines (headlines, snippets)
 * that hold a snippet, are at least {@link LIST_RUN} long, or sit before the first or after the last sentence
 * paragraph. A lone headline between paragraphs is a subheading and is kept. When `linkShares` says how much of
 * each line is link text (lines taken from a page), only lines mostly made of links can be teasers: a list of
 * plain items is the article's own.
 */
export function dropChrome(lines: readonly string[], linkShares?: readonly number[]): string[] {
  const teaserable = (i: number) => linkShares === undefined || (linkShares[i] ?? 0) >= TEASER_LINK_SHARE;
  const keptIndex = lines.map((_, i) => i).filter((i) => !isWidgetLine(lines[i]!));
  const kept = keptIndex.map((i) => lines[i]!);
  const kinds = kept.map((l, j) => (teaserable(keptIndex[j]!) ? lineKind(l) : 'text'));
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
