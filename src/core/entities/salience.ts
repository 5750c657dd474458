import type { EntityKind } from './gazetteer.js';

/** How one entity is named in one article, as extraction counts it. */
export interface Tally {
  /** Mentions in the body. */
  mentions: number;
  /** Token index of the first body mention (the article's token count when there is none). */
  first: number;
  /** The headline names it. */
  inTitle: boolean;
  /** Body mentions within the first {@link LEAD_TOKENS} tokens. */
  lead: number;
  /** Body mentions written after a title ("President Reagan", "Treasury Secretary James Baker"). */
  titled: number;
  /** Body mentions before a reporting verb ("Baker said", "Volcker told"). */
  spoken: number;
}

/** A fresh tally for an entity first met at token `first`. */
export const newTally = (first: number): Tally => ({ mentions: 0, first, inTitle: false, lead: 0, titled: 0, spoken: 0 });

/** The lead of an article, for salience: its first 60 tokens (words and punctuation). */
export const LEAD_TOKENS = 60;

/** The body of an article as salience sees it. */
export interface ArticleShape {
  /** Words of the body. */
  readonly words: number;
  /** Tokens of the body (words and punctuation), the unit of a mention's position. */
  readonly tokens: number;
}

/**
 * What the person model reads of one (article, person) pair, each a number (see {@link PERSON_WEIGHTS}):
 * - `mentions`: ln(1 + body mentions);
 * - `headline`: 1 when the headline names the person, else 0;
 * - `lead`: 1 when a body mention falls in the lead (first 60 tokens), else 0;
 * - `leadMentions`: ln(1 + body mentions in the lead);
 * - `firstAt`: where the first body mention falls, as a fraction of the body's tokens (0 = first word; 1 = none);
 * - `titled`: 1 when a body mention follows a title ("President Reagan"), else 0;
 * - `spoken`: 1 when a body mention speaks ("Baker said"), else 0;
 * - `share`: the person's body mentions over all people's body mentions in the article (0–1);
 * - `ahead`: ln(1 + people of the article with more body mentions, or as many and named in the headline when this one is not);
 * - `people`: ln(1 + people in the article);
 * - `length`: ln(1 + words / 500).
 */
export interface PersonFeatures {
  readonly mentions: number;
  readonly headline: number;
  readonly lead: number;
  readonly leadMentions: number;
  readonly firstAt: number;
  readonly titled: number;
  readonly spoken: number;
  readonly share: number;
  readonly ahead: number;
  readonly people: number;
  readonly length: number;
}

/** The feature names in a fixed order (the order of {@link PERSON_WEIGHTS}' documentation). */
export const PERSON_FEATURES = [
  'mentions', 'headline', 'lead', 'leadMentions', 'firstAt', 'titled', 'spoken', 'share', 'ahead', 'people', 'length',
] as const satisfies readonly (keyof PersonFeatures)[];

/** The features of each person of one article, keyed by name. */
export function personFeatures(people: ReadonlyMap<string, Tally>, shape: ArticleShape): Map<string, PersonFeatures> {
  let total = 0;
  for (const t of people.values()) total += t.mentions;
  const tallies = [...people.values()];
  const out = new Map<string, PersonFeatures>();
  for (const [name, t] of people) {
    const ahead = tallies.filter((o) => o.mentions > t.mentions || (o.mentions === t.mentions && o.inTitle && !t.inTitle)).length;
    out.set(name, {
      mentions: Math.log(1 + t.mentions),
      headline: t.inTitle ? 1 : 0,
      lead: t.lead > 0 ? 1 : 0,
      leadMentions: Math.log(1 + t.lead),
      firstAt: t.mentions > 0 && shape.tokens > 0 ? Math.min(1, t.first / shape.tokens) : 1,
      titled: t.titled > 0 ? 1 : 0,
      spoken: t.spoken > 0 ? 1 : 0,
      share: total > 0 ? t.mentions / total : 0,
      ahead: Math.log(1 + ahead),
      people: Math.log(1 + people.size),
      length: Math.log(1 + shape.words / LENGTH_UNIT),
    });
  }
  return out;
}

const LENGTH_UNIT = 500;
const MIN_SALIENCE = 0.01;

/**
 * Salience of an organisation or a place: ln(1 + mentions) + 2 when the headline names it + 0.5 when it is named
 * in the lead − 0.3 × ln(1 + words / 500), at least 0.01. The length term: a mention in a short article says more
 * than one in a long one (0.21 at 500 words, 0.48 at 2,000).
 */
export function placeSalience(t: Tally, shape: ArticleShape): number {
  const score = Math.log(1 + t.mentions) + (t.inTitle ? 2 : 0) + (t.lead > 0 ? 0.5 : 0) - 0.3 * Math.log(1 + shape.words / LENGTH_UNIT);
  return Math.max(MIN_SALIENCE, score);
}

/** Weights of the person model over {@link PersonFeatures}, and its intercept. */
export type PersonWeights = Readonly<Record<keyof PersonFeatures | 'bias', number>>;

/**
 * The person model (see {@link personSalience}): the hand formula of organisations and places, ln(1 + mentions) +
 * 2 × headline + 0.5 × lead − 0.3 × length, with every other feature at 0. Models fitted on the tune half of the
 * Reuters person labels (bench/fit-salience.ts: pairwise and pointwise logistic regression over all the features,
 * forward selection from these weights) did not beat it on labels they were not fitted on (cross-validated P@10
 * 0.909–0.923 against its 0.923, docs/BENCHMARKS.md "Person salience as a fitted model"), so it stands; the
 * features are kept so that a refit reads exactly what extraction counts.
 */
export const PERSON_WEIGHTS: PersonWeights = {
  bias: 0, mentions: 1, headline: 2, lead: 0.5, leadMentions: 0, firstAt: 0, titled: 0, spoken: 0, share: 0, ahead: 0, people: 0, length: -0.3,
};

/** Salience of a person: bias + Σ weight × feature ({@link PERSON_WEIGHTS}), at least 0.01. */
export function personSalience(f: PersonFeatures, weights: PersonWeights = PERSON_WEIGHTS): number {
  let score = weights.bias;
  for (const name of PERSON_FEATURES) score += weights[name] * f[name];
  return Math.max(MIN_SALIENCE, score);
}

/** The entities of one article, most salient first per kind (ties by name), and their salience to two decimals. */
export interface RankedEntities {
  readonly people: string[];
  readonly orgs: string[];
  readonly places: string[];
  readonly salience: Record<string, number>;
}

/** Ranks tallies keyed `kind:name`: people by {@link personSalience}, organisations and places by {@link placeSalience}. */
export function rankEntities(tallies: ReadonlyMap<string, Tally>, shape: ArticleShape): RankedEntities {
  const people = new Map<string, Tally>();
  for (const [key, t] of tallies) if (key.startsWith('people:')) people.set(key.slice('people:'.length), t);
  const features = personFeatures(people, shape);
  const salience: Record<string, number> = {};
  const byKind: Record<EntityKind, [string, number][]> = { people: [], orgs: [], places: [] };
  for (const [key, t] of tallies) {
    const kind = key.slice(0, key.indexOf(':')) as EntityKind;
    const name = key.slice(kind.length + 1);
    const score = kind === 'people' ? personSalience(features.get(name)!) : placeSalience(t, shape);
    const rounded = Math.round(score * 100) / 100;
    salience[key] = rounded;
    byKind[kind].push([name, rounded]);
  }
  const order = (list: [string, number][]) =>
    list.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([name]) => name);
  return { people: order(byKind.people), orgs: order(byKind.orgs), places: order(byKind.places), salience };
}
