import { candidateRuns } from './candidate-runs.js';
import type { Gazetteer } from './gazetteer.js';
import { longestKnown } from './phrase-shapes.js';
import { knownInRun, runCues } from './run-cues.js';
import type { RunPosition, SegmentOutput } from './segment-rules.js';
import { isLegalName, PHRASE_RULES } from './segment-rules.js';
import type { Token } from './tokens.js';

/** A known organisation or place named in the text. */
export interface KnownMention {
  readonly kind: 'orgs' | 'places';
  readonly name: string;
  readonly index: number;
}

/**
 * A name that may be a person's: `cue` says why ("title": written after a title such as "Foreign Minister";
 * "speaker": followed by "said", "told"…; "role": after a role noun such as "trader"; "none": a capitalised phrase
 * and nothing more).
 */
export interface NameMention {
  readonly words: readonly string[];
  readonly title: string | undefined;
  readonly cue: 'title' | 'speaker' | 'role' | 'none';
  readonly index: number;
  /** Written first in its sentence, where a capital says nothing. */
  readonly sentenceStart: boolean;
  /** No other capitalised word stands right next to it ("Reagan said"; not the "White" of "White House"). */
  readonly whole: boolean;
}

export interface Segments {
  readonly known: KnownMention[];
  readonly names: NameMention[];
}

/**
 * Reads one article's tokens into known organisations and places (longest gazetteer match first, including
 * acronyms the article defines in brackets, which it adds to `localOrgs`), organisations by their form ("… Corp",
 * "Banque …", "University of …"), and candidate person names with their cue.
 *
 * Each run of capitalised words (candidate-runs.ts) gets its cues (run-cues.ts: sentence openers skipped, a
 * reporting verb after it, a role noun, a lower-case title or an article before it); then, from its first word
 * that may start a name, the phrase rules (segment-rules.ts, {@link PHRASE_RULES}) are tried in order at each
 * position, the first that applies saying where reading goes on.
 */
export function segment(tokens: readonly Token[], gazetteer: Gazetteer, localOrgs: Map<string, string>): Segments {
  const out: SegmentOutput = { known: [], names: [], localOrgs, tokens, gazetteer };
  for (const run of candidateRuns(tokens, gazetteer.possessiveJoins)) {
    const knownAt = knownInRun(run, gazetteer, localOrgs);
    const cues = runCues(tokens, run, knownAt);
    const legalName = isLegalName(run);
    let i = cues.start;
    while (i < run.length) {
      const found = run[i]!.capital ? longestKnown(run, i, gazetteer, localOrgs) : undefined;
      const at: RunPosition = { run, i, found, legalName, knownAt, cues };
      i = readAt(at, out);
    }
  }
  return { known: out.known, names: out.names };
}

/** The first phrase rule that applies at a position says where reading goes on. */
function readAt(at: RunPosition, out: SegmentOutput): number {
  for (const rule of PHRASE_RULES) {
    const next = rule.read(at, out);
    if (next !== undefined) return next;
  }
  return at.run.length; // unreachable: plainPhrase always applies
}
