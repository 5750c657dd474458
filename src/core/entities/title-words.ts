import { boundedDamerau } from '../edit-distance.js';
import { HEAD_TITLES, NOT_NAMES, ORG_SUFFIXES, TITLE_WORDS } from './lexicon.js';

/** Shortest head title, and word, read through one typo: shorter titles have too many real-word neighbours ("Ministry"). */
const MIN_TYPO_LENGTH = 9;
const LONG_TITLES = [...HEAD_TITLES].filter((t) => t.length >= MIN_TYPO_LENGTH && !t.includes('-'));

/**
 * The head title a capitalised word misspells by one edit (Damerau: "Secertary" → "Secretary", "Represenative" →
 * "Representative"), as wires sometimes do; undefined for a known title, a word of another list, a word shorter than
 * nine letters or one whose first letter differs. Cost: at most one bounded distance per long head title (about 25).
 */
export function misspelledTitle(word: string): string | undefined {
  if (word.length < MIN_TYPO_LENGTH || TITLE_WORDS.has(word) || ORG_SUFFIXES.has(word) || NOT_NAMES.has(word)) return undefined;
  if (word.endsWith('s') && HEAD_TITLES.has(word.slice(0, -1))) return undefined; // a plural, read as such elsewhere
  return LONG_TITLES.find((t) => t[0] === word[0] && Math.abs(t.length - word.length) <= 1 && boundedDamerau(t, word, 1) <= 1);
}

/** A word of a title phrase as written, or one misspelled by a typo (see {@link misspelledTitle}). */
export function isTitle(word: string): boolean {
  return TITLE_WORDS.has(word) || misspelledTitle(word) !== undefined;
}
