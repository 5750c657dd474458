import type { Gazetteer } from './gazetteer.js';
import { CORPORATE_SUFFIXES } from './lexicon.js';
import type { KnownMatch } from './phrase-shapes.js';
import {
  canonicalWords, definition, isHeadTitle, isOrgPhrase, isTitleWord, longestKnown, nameEnd, orgName, titleJoin,
} from './phrase-shapes.js';
import { plainWords } from './plain-words.js';
import type { RunCues } from './run-cues.js';
import type { KnownMention, NameMention } from './segment.js';
import { isTitle } from './title-words.js';
import type { Token } from './tokens.js';

/** Where segment() stands in a run: the word at `i`, what the gazetteer knows from there, and the run's cues. */
export interface RunPosition {
  readonly run: readonly Token[];
  readonly i: number;
  /** The longest known organisation or place starting at `i`. */
  readonly found: KnownMatch | undefined;
  /** The run ends with a corporate suffix ("… Corp", "… Ltd"): a company's legal name. */
  readonly legalName: boolean;
  readonly knownAt: (k: number) => boolean;
  readonly cues: RunCues;
}

/** What the rules write to: known mentions, name candidates, and the organisations the article defines. */
export interface SegmentOutput {
  readonly known: KnownMention[];
  readonly names: NameMention[];
  readonly localOrgs: Map<string, string>;
  readonly tokens: readonly Token[];
  readonly gazetteer: Gazetteer;
}

/**
 * One rule of segmentation: reads the words of a run from a position and says where reading goes on (the run's
 * length ends it), or undefined when it does not apply there. segment() tries {@link PHRASE_RULES} in order.
 */
export interface PhraseRule {
  readonly name: string;
  read(at: RunPosition, out: SegmentOutput): number | undefined;
}

/** A lower-case particle or connector between names ("of", "von") is stepped over. */
export const lowerCaseJoiner: PhraseRule = {
  name: 'lower-case-joiner',
  read: (at) => (at.run[at.i]!.capital ? undefined : at.i + 1),
};

/**
 * "Texas Air Corp", "Gulf Canada Ltd": a company's legal name is read whole, before the places in it (not before
 * a known organisation: "Moody's Investors Service Inc").
 */
export const companyLegalName: PhraseRule = {
  name: 'company-legal-name',
  read(at, out) {
    if (at.found?.kind === 'orgs' || !at.legalName || !isOrgPhrase(at.run, at.i, at.knownAt)) return undefined;
    return organisationToEnd(at, out);
  },
};

/**
 * "New York Stock Exchange", "Kuwait News Agency": a place opening an organisation's name is part of the name,
 * and still a place the article names.
 */
export const placeOpensOrganisation: PhraseRule = {
  name: 'place-opens-organisation',
  read(at, out) {
    const { found, run, i } = at;
    if (found?.kind !== 'places' || i + found.length >= run.length || !isOrgPhrase(run, i + found.length, at.knownAt)) return undefined;
    out.known.push({ kind: 'places', name: found.name, index: run[i]!.index });
    return organisationToEnd(at, out);
  },
};

/** A gazetteer name, or an acronym the article defined ("UN", "Shanghai Cooperation Organization (SCO)" … "SCO"). */
export const knownName: PhraseRule = {
  name: 'known-name',
  read(at, out) {
    if (at.found === undefined) return undefined;
    out.known.push({ kind: at.found.kind, name: at.found.name, index: at.run[at.i]!.index });
    const next = at.i + at.found.length;
    const def = definition(out.tokens, at.run.at(-1)!.index, next === at.run.length);
    if (def && at.found.kind === 'orgs') out.localOrgs.set(def, at.found.name);
    return next;
  },
};

/** "Standard Oil Co", "Bank of Tokyo", "University of Port Aldric": the rest of the run is an organisation's name. */
export const organisationPhrase: PhraseRule = {
  name: 'organisation-phrase',
  read: (at, out) => (!at.legalName && isOrgPhrase(at.run, at.i, at.knownAt) ? organisationToEnd(at, out) : undefined),
};

/**
 * "Foreign Minister Qin Gang", "Chancellor of the Exchequer Nigel Lawson", "Mr Lavrov": title words, then the
 * name they give; the title is never part of the name, and one with no head title ("Foreign") names no one.
 */
export const titledName: PhraseRule = {
  name: 'titled-name',
  read({ run, i }, out) {
    let j = i;
    while (j < run.length && (isTitleWord(run[j]!.text) || (j > i && titleJoin(run, j)))) j++;
    if (j === i) return undefined;
    const title = run.slice(i, j).map((w) => w.text).join(' ');
    const head = run.slice(i, j).some((w) => isHeadTitle(w.text));
    const end = nameEnd(run, j, out.gazetteer);
    if (head && end > j) {
      const words = canonicalWords(run.slice(j, end).map((t) => t.text));
      out.names.push({ words, title, cue: 'title', index: run[j]!.index, sentenceStart: false, whole: false });
    }
    return Math.max(end, j);
  },
};

/** The words up to the next title or known name, read by plain-words.ts (organisations by their form, else names). */
export const plainPhrase: PhraseRule = {
  name: 'plain-phrase',
  read({ run, i, cues }, out) {
    let j = i;
    while (j < run.length && !isTitle(run[j]!.text) && !longestKnown(run, j, out.gazetteer, out.localOrgs)) j++;
    const atStart = i === cues.start;
    plainWords(run.slice(i, j), {
      spoken: cues.spoken && j === run.length,
      role: cues.role && atStart,
      title: atStart ? cues.title : undefined,
      determined: cues.determined && atStart,
      known: out.known, names: out.names, localOrgs: out.localOrgs, tokens: out.tokens,
    });
    return j;
  },
};

/** The rules in the order they are tried at each position of a run. */
export const PHRASE_RULES: readonly PhraseRule[] = [
  lowerCaseJoiner, companyLegalName, placeOpensOrganisation, knownName, organisationPhrase, titledName, plainPhrase,
];

/** Whether a run ends with a corporate suffix. */
export const isLegalName = (run: readonly Token[]): boolean => CORPORATE_SUFFIXES.has(run.at(-1)!.text);

/** Records the rest of the run as one organisation (and the acronym defined after it); ends the run. */
function organisationToEnd({ run, i }: RunPosition, out: SegmentOutput): number {
  const name = orgName(run.slice(i));
  out.known.push({ kind: 'orgs', name, index: run[i]!.index });
  const def = definition(out.tokens, run.at(-1)!.index, true);
  if (def) out.localOrgs.set(def, name);
  return run.length;
}
