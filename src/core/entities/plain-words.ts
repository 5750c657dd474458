import { CORPORATE_SUFFIXES, NOT_NAMES, ORG_CONNECTORS, ORG_HEADS, ORG_SUFFIXES, PREPOSITIONS } from './lexicon.js';
import { canonicalWords, definition, nameNextTo, orgName } from './phrase-shapes.js';
import type { KnownMention, NameMention } from './segment.js';
import type { Token } from './tokens.js';

/** Where a phrase with no title and no known name stands, and where what it reads goes. */
export interface PlainContext {
  /** A reporting verb follows the phrase. */
  readonly spoken: boolean;
  /** A role noun stands before it. */
  readonly role: boolean;
  /** A title with a lower-case head stands before it ("Energy minister Subroto"). */
  readonly title?: string | undefined;
  /**
   * An article stands right before the words ("the Far East"): their first piece, when of two words or more, is
   * no person's name ("the Reagan administration" still names Reagan).
   */
  readonly determined: boolean;
  readonly known: KnownMention[];
  readonly names: NameMention[];
  readonly localOrgs: Map<string, string>;
  readonly tokens: readonly Token[];
}

/**
 * A phrase with no title and no known name: an organisation by its last or first word ({@link plainOrganisation}),
 * else pieces between connectors and sentence openers, each a name candidate unless a piece rule
 * ({@link PIECE_RULES}) rules it out.
 */
export function plainWords(words: Token[], out: PlainContext): void {
  while (words.length > 0 && !words.at(-1)!.capital) words.pop();
  if (words.length === 0 || plainOrganisation(words, out)) return;
  let piece: Token[] = [];
  let isFirst = true;
  const flush = (isLast: boolean) => {
    while (piece.length > 0 && !piece.at(-1)!.capital) piece.pop();
    while (piece.length > 1 && CORPORATE_SUFFIXES.has(piece[0]!.text)) piece.shift(); // "Sachs and Co Goldman said"
    const context = { isFirst, determined: out.determined };
    if (piece.length > 0 && !PIECE_RULES.some((rule) => rule.rejects(piece, context))) {
      // "analyst Rosario Ilacqua of L.F. Rothschild said": the speaker is not the words after "of"
      const speaks = isLast && out.spoken && !PREPOSITIONS.has(out.tokens[piece[0]!.index - 1]?.text ?? '');
      out.names.push({
        words: canonicalWords(piece.map((w) => w.text)),
        title: isFirst ? out.title : undefined,
        cue: isFirst && out.title !== undefined ? 'title' : isFirst && out.role ? 'role' : speaks ? 'speaker' : 'none',
        index: piece[0]!.index,
        sentenceStart: piece[0]!.sentenceStart,
        whole: !nameNextTo(out.tokens, piece),
      });
    }
    piece = [];
    isFirst = false;
  };
  for (const w of words) {
    if ((!w.capital && ORG_CONNECTORS.has(w.text)) || NOT_NAMES.has(w.text)) flush(false);
    else piece.push(w);
  }
  flush(true);
}

/**
 * "Standard Oil Co", "Banque Paribas": two words or more ending in an organisation word or opening with one name an
 * organisation (its corporate suffix dropped; an acronym defined in brackets after it, and the short name, are
 * remembered for the article). True when the words were read so.
 */
export function plainOrganisation(words: readonly Token[], out: Pick<PlainContext, 'known' | 'localOrgs' | 'tokens'>): boolean {
  if (words.length < 2 || !(ORG_SUFFIXES.has(words.at(-1)!.text) || ORG_HEADS.has(words[0]!.text))) return false;
  const name = orgName(words);
  out.known.push({ kind: 'orgs', name, index: words[0]!.index });
  const def = definition(out.tokens, words.at(-1)!.index, true);
  if (def) out.localOrgs.set(def, name);
  if (name.split(' ').length >= 2 && name !== words.map((w) => w.text).join(' ')) out.localOrgs.set(name, name);
  return true;
}

/** A rule that keeps a piece of capitalised words from being a name candidate. */
export interface PieceRule {
  readonly name: string;
  rejects(piece: readonly Token[], context: { readonly isFirst: boolean; readonly determined: boolean }): boolean;
}

/** The piece rules, each with what it catches. */
export const PIECE_RULES: readonly PieceRule[] = [
  /** Six words or more are a heading or a list, not a name. */
  { name: 'too-long', rejects: (piece) => piece.length > 5 },
  /** "Corp", "NYSE": one organisation word or one acronym alone names no person. */
  {
    name: 'lone-org-word-or-acronym',
    rejects: (piece) => piece.length === 1 && (ORG_SUFFIXES.has(piece[0]!.text) || /^\p{Lu}{2,}$/u.test(piece[0]!.text)),
  },
  /** "S P" of "S&P", "U S": initials alone name no one. */
  { name: 'initials-only', rejects: (piece) => piece.every((w) => w.text.replace(/\.$/, '').length === 1) },
  /** "the Far East", "the Texas Democrat": the first piece after an article, of two words or more, is no name. */
  { name: 'after-an-article', rejects: (piece, c) => c.isFirst && c.determined && piece.length > 1 },
];
