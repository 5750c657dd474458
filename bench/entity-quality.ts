import { ABOUT_SALIENCE } from '../src/core/entities/about.js';
import type { EntityKind } from '../src/core/entities/gazetteer.js';
import type { EntityReader } from '../src/entities/entity-port.js';
import type { SearchEngine } from '../src/engines/search-engine.js';

/** Xapian phrase search on the Reuters PEOPLE labels (../shared/peers/README.md, peers_entity.py). */
export const PEER_ENTITY = { name: 'Xapian phrase', precisionAt10: 0.849, recallAt50: 0.972 } as const;

/** Reuters label codes whose words do not name the entity as news text does. */
const CODE_NAMES: Record<string, string> = {
  usa: 'United States', uk: 'United Kingdom', ussr: 'Soviet Union', ec: 'European Community',
  imf: 'International Monetary Fund', opec: 'Organization of Petroleum Exporting Countries', worldbank: 'World Bank',
  gatt: 'General Agreement on Tariffs and Trade', 'ico-coffee': 'International Coffee Organization',
  oecd: 'Organisation for Economic Co-operation and Development', icco: 'International Cocoa Organization',
  'adb-asia': 'Asian Development Bank', 'adb-africa': 'African Development Bank',
  unctad: 'UN Conference on Trade and Development', un: 'United Nations', itc: 'International Tin Council',
  fao: 'Food and Agriculture Organization', iea: 'International Energy Agency', inro: 'International Natural Rubber Organization',
  eib: 'European Investment Bank', 'uae': 'United Arab Emirates',
};

export interface LabelledRecord {
  readonly id: string;
  readonly title?: string;
  readonly body?: string;
  readonly people?: readonly string[];
  readonly orgs?: readonly string[];
  readonly places?: readonly string[];
}

export interface EntityScores {
  readonly names: number;
  /** Labels for which autocomplete found an entity. */
  readonly found: number;
  readonly precisionAt10: number;
  readonly recallAt50: number;
  /** Articles the judging added to the labels (0 with the labels as given). */
  readonly added: number;
  readonly misses: readonly { label: string; entity: string | undefined; p10: number; r50: number }[];
}

/**
 * With `within`, only the articles it accepts count, as labels and as results (the others are skipped in the
 * ranked list): the figures of one half of the split (entity-split.ts), on a store holding the whole file.
 *
 * How well the entity filter finds the articles a label marks, as ../shared/peers/peers_entity.py measures it:
 * for every label on at least `minArticles` articles, the label is typed into autocomplete ("james-baker" →
 * "james baker"; the codes above by name), the first suggestion of that kind becomes the filter of an empty-query
 * search (most salient first), and precision@10 (at the label's size when under 10) and recall@50 are averaged.
 */
export async function scoreEntityFilter(
  deps: { engine: SearchEngine; entities: EntityReader },
  records: readonly LabelledRecord[],
  kind: EntityKind,
  options: { minArticles?: number; order?: FilterOrder; within?: (id: string) => boolean; judging?: Judging } = {},
): Promise<EntityScores> {
  const minArticles = options.minArticles ?? 5;
  const order = options.order ?? 'salience';
  const within = options.within ?? (() => true);
  const labelled = new Map<string, Set<string>>();
  for (const r of records) {
    if (within(r.id)) for (const code of r[kind] ?? []) labelled.set(code, (labelled.get(code) ?? new Set()).add(r.id));
  }
  const codes = [...labelled].filter(([, ids]) => ids.size >= minArticles).map(([code]) => code).sort();
  let p10 = 0;
  let r50 = 0;
  let found = 0;
  let added = 0;
  const misses: EntityScores['misses'][number][] = [];
  for (const code of codes) {
    const entity = (await deps.entities.suggest(CODE_NAMES[code] ?? code.replace(/-/g, ' '), kind, 1))[0]?.name;
    const wanted = options.judging === 'headline' && entity !== undefined
      ? new Set([...labelled.get(code)!, ...records.filter((r) => within(r.id) && namedInHeadline(r, code, entity)).map((r) => r.id)])
      : labelled.get(code)!;
    added += wanted.size - labelled.get(code)!.size;
    const ids = entity === undefined ? [] : await filtered(deps.engine, kind, entity, order, within);
    if (entity !== undefined) found++;
    const k = Math.min(10, wanted.size);
    const p = ids.slice(0, k).filter((id) => wanted.has(id)).length / k;
    const r = ids.slice(0, 50).filter((id) => wanted.has(id)).length / Math.min(50, wanted.size);
    p10 += p;
    r50 += r;
    if (p < 0.9 || r < 0.97) misses.push({ label: code, entity, p10: p, r50: r });
  }
  const n = Math.max(codes.length, 1);
  return { names: codes.length, found, precisionAt10: p10 / n, recallAt50: r50 / n, added, misses };
}

/**
 * `labels`: the Reuters labels as given. `headline`: the labels, plus every article whose headline names the
 * label's last word ("REAGAN", "CHIRAC", as a whole word, any case) and whose body writes the entity's full name
 * (the one autocomplete gave for the label, any case): Reuters leaves some articles about a person unlabelled
 * ("PAPER SAYS POINDEXTER MAY LINK REAGAN TO FUNDS"). The same rule, on the text alone, for every label and both
 * halves of the split; the peer's figures are on the labels as given.
 */
export type Judging = 'labels' | 'headline';

/** Whether an article's headline names the label's last word and its body the entity's full name (see {@link Judging}). */
export function namedInHeadline(record: LabelledRecord, code: string, entity: string): boolean {
  const last = code.split('-').at(-1)!.toLowerCase();
  const headline = new Set((record.title ?? '').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  return entity.includes(' ') && headline.has(last) && (record.body ?? '').toLowerCase().includes(entity.toLowerCase());
}

/**
 * `salience`: the embedded engine's order (most salient first). `about-first`: Meilisearch's (the articles about the
 * entity, salience ≥ ABOUT_SALIENCE, then the others, newest first in each part), rebuilt here from every match.
 */
export type FilterOrder = 'salience' | 'about-first';

async function filtered(
  engine: SearchEngine,
  kind: EntityKind,
  name: string,
  order: FilterOrder,
  within: (id: string) => boolean,
): Promise<string[]> {
  const request = { q: '', page: 1, perPage: 100, sort: 'relevance', match: 'last', filters: { [kind]: [name] }, facets: [] } as const;
  if (order === 'salience') {
    const kept: string[] = [];
    for (let page = 1; kept.length < 50; page++) {
      const result = await engine.search({ ...request, page });
      kept.push(...result.hits.map((h) => h.article.id).filter(within));
      if (page >= result.totalPages) break;
    }
    return kept.slice(0, 50);
  }
  const all: { id: string; about: boolean }[] = [];
  for (let page = 1; ; page++) {
    const result = await engine.search({ ...request, sort: 'newest', page });
    for (const h of result.hits) {
      if (within(h.article.id)) all.push({ id: h.article.id, about: (h.article.salience?.[`${kind}:${name}`] ?? 0) >= ABOUT_SALIENCE });
    }
    if (page >= result.totalPages) break;
  }
  return [...all.filter((a) => a.about), ...all.filter((a) => !a.about)].slice(0, 50).map((a) => a.id);
}

/** Names judged by hand (bench/fixtures/reuters-people-judged.json). */
export interface PeopleJudgements {
  readonly people: readonly string[];
  readonly notPeople: readonly string[];
}

export interface TopPeopleScore {
  readonly top: number;
  /** Of the judged names among the top, the share that are people. */
  readonly precision: number;
  readonly notPeople: readonly string[];
  /** Names among the top nobody has judged yet: judge them in the fixture. */
  readonly unjudged: readonly string[];
}

/**
 * How many of the `top` people found in most articles are people at all (not a company, a place, a party member's
 * description or initials), by the hand judgements.
 */
export async function scoreTopPeople(entities: EntityReader, judged: PeopleJudgements, top = 150): Promise<TopPeopleScore> {
  const names = (await entities.suggest('', 'people', top)).map((s) => s.name);
  const yes = new Set(judged.people);
  const no = new Set(judged.notPeople);
  const notPeople = names.filter((n) => no.has(n));
  const unjudged = names.filter((n) => !yes.has(n) && !no.has(n));
  const judgedCount = names.length - unjudged.length;
  return { top: names.length, precision: judgedCount === 0 ? 0 : (judgedCount - notPeople.length) / judgedCount, notPeople, unjudged };
}
