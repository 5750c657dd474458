import type { PersonFeatures, PersonWeights } from '../src/core/entities/salience.js';
import { PERSON_FEATURES, PERSON_WEIGHTS, personSalience } from '../src/core/entities/salience.js';
import { ABOUT_SALIENCE } from '../src/core/entities/about.js';
import type { TuneData } from './salience-data.js';
import { tuneData } from './salience-data.js';

/**
 * `npm run bench:fit-salience [-- --cache file]`: fits the person model of core/entities/salience.ts on the TUNE half
 * of the split only (salience-data.ts; with `--cache file`, read from or written to that file: delete it after any
 * change to extraction), and prints the tune half's person filter
 * figures (P@10 / R@50 as bench:entities scores them, rebuilt here from the features) for the current weights and
 * for each fitting procedure, in-sample and cross-validated (5 folds of the labels on ≥ 5 articles: fitted on the
 * other labels, scored on the held ones). Procedures: pairwise logistic loss between a label's labelled and
 * unlabelled articles among those naming its person, and pointwise logistic regression (labelled or not), each label
 * weighing the same, L2 penalty λ; forward selection from the current weights on P@10 + R@50. Then the tune half in
 * Meilisearch's about-first order at several thresholds (ABOUT_SALIENCE).
 */

type Vector = number[];
const vec = (f: PersonFeatures): Vector => PERSON_FEATURES.map((n) => f[n]);

interface Scored { id: string; date: number | null; salience: number }

/** The filter's list for an entity, as the engine orders it: salience (two decimals), then newest, then id. */
function ranked(items: Scored[], order: 'salience' | 'about-first', about: number): string[] {
  const newest = (a: Scored, b: Scored) => (b.date ?? -Infinity) - (a.date ?? -Infinity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  if (order === 'salience') return [...items].sort((a, b) => b.salience - a.salience || newest(a, b)).map((s) => s.id);
  const sorted = [...items].sort(newest);
  return [...sorted.filter((s) => s.salience >= about), ...sorted.filter((s) => s.salience < about)].map((s) => s.id);
}

const lists = new WeakMap<TuneData, Map<string, TuneData['articles'][number][]>>();
/** The tune articles naming an entity (memoised). */
function naming(data: TuneData, entity: string): TuneData['articles'][number][] {
  const byEntity = lists.get(data) ?? new Map<string, TuneData['articles'][number][]>();
  lists.set(data, byEntity);
  const list = byEntity.get(entity) ?? data.articles.filter((a) => a.people[entity] !== undefined);
  byEntity.set(entity, list);
  return list;
}

interface Evaluation { p10: number; r50: number; names: number }

function evaluate(data: TuneData, codes: readonly string[], salience: (f: PersonFeatures) => number, order: 'salience' | 'about-first' = 'salience', about = ABOUT_SALIENCE): Evaluation {
  let p10 = 0;
  let r50 = 0;
  let names = 0;
  for (const code of codes) {
    const { entity, labelled } = data.labels[code]!;
    if (labelled.length < 5) continue;
    const wanted = new Set(labelled);
    const items = naming(data, entity).map((a) => ({ id: a.id, date: a.date, salience: Math.round(salience(a.people[entity]!) * 100) / 100 }));
    const ids = ranked(items, order, about).slice(0, 50);
    const k = Math.min(10, wanted.size);
    p10 += ids.slice(0, k).filter((id) => wanted.has(id)).length / k;
    r50 += ids.filter((id) => wanted.has(id)).length / Math.min(50, wanted.size);
    names++;
  }
  return { p10: p10 / Math.max(1, names), r50: r50 / Math.max(1, names), names };
}

/**
 * Logistic fit, each label weighing 1: `pairwise` on (labelled − unlabelled) feature differences within a label
 * (at most `maxPairs` per label, a fixed sample), `pointwise` on each article (labelled or not) with an intercept.
 * Adam, 1,500 full-batch steps from the current weights.
 */
function fit(data: TuneData, codes: readonly string[], lambda: number, kind: 'pairwise' | 'pointwise', maxPairs = 4000): Vector {
  const groups: { diffs: Vector[] }[] = [];
  let seed = 1;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (const code of codes) {
    const { entity, labelled } = data.labels[code]!;
    const wanted = new Set(labelled);
    const having = naming(data, entity);
    const pos = having.filter((a) => wanted.has(a.id)).map((a) => vec(a.people[entity]!));
    const neg = having.filter((a) => !wanted.has(a.id)).map((a) => vec(a.people[entity]!));
    let diffs: Vector[] = [];
    // pointwise: logistic regression (a labelled article +x, an unlabelled one −x, and a bias feature)
    if (kind === 'pointwise') diffs = [...pos.map((p) => [...p, 1]), ...neg.map((n) => [...n.map((x) => -x), -1])];
    else for (const p of pos) for (const n of neg) diffs.push([...p.map((x, i) => x - n[i]!), 0]);
    if (diffs.length > maxPairs) diffs = diffs.filter(() => random() < maxPairs / diffs.length);
    if (diffs.length > 0) groups.push({ diffs });
  }
  const d = PERSON_FEATURES.length + 1;
  const w: Vector = [...PERSON_FEATURES.map((n) => PERSON_WEIGHTS[n]), 0];
  const m = new Array<number>(d).fill(0);
  const v = new Array<number>(d).fill(0);
  for (let step = 1; step <= 1500; step++) {
    const grad = w.map((x) => 2 * lambda * x);
    for (const g of groups) {
      for (const diff of g.diffs) {
        let s = 0;
        for (let i = 0; i < d; i++) s += w[i]! * diff[i]!;
        const coef = -1 / (1 + Math.exp(s)) / g.diffs.length / groups.length;
        for (let i = 0; i < d; i++) grad[i]! += coef * diff[i]!;
      }
    }
    for (let i = 0; i < d; i++) { // Adam
      m[i] = 0.9 * m[i]! + 0.1 * grad[i]!;
      v[i] = 0.999 * v[i]! + 0.001 * grad[i]! ** 2;
      w[i]! -= (0.02 * (m[i]! / (1 - 0.9 ** step))) / (Math.sqrt(v[i]! / (1 - 0.999 ** step)) + 1e-8);
    }
  }
  return w;
}

const weightsOf = (w: Vector, bias = 10 + (w[PERSON_FEATURES.length] ?? 0)): PersonWeights =>
  ({ bias, ...Object.fromEntries(PERSON_FEATURES.map((n, i) => [n, w[i]!])) }) as PersonWeights;
const fmt = (e: Evaluation) => `${e.p10.toFixed(3)} / ${e.r50.toFixed(3)}`;

/**
 * Forward selection from the current weights: at each step, the one change of one weight (by a step of
 * {@link STEPS}) that most raises P@10 + R@50 on the given labels; stops when none raises it.
 */
function forward(data: TuneData, codes: readonly string[]): PersonWeights {
  let w: PersonWeights = { ...PERSON_WEIGHTS, bias: 10 };
  let best = objective(evaluate(data, codes, (x) => personSalience(x, w)));
  for (;;) {
    let step: { w: PersonWeights; score: number } | undefined;
    for (const name of PERSON_FEATURES) {
      for (const delta of STEPS) {
        const next = { ...w, [name]: w[name] + delta };
        const score = objective(evaluate(data, codes, (x) => personSalience(x, next)));
        if (score > (step?.score ?? best) + 1e-9) step = { w: next, score };
      }
    }
    if (step === undefined) return w;
    ({ w, score: best } = step);
  }
}
const STEPS = [-1, -0.5, -0.4, -0.3, -0.2, -0.1, 0.1, 0.2, 0.3, 0.4, 0.5, 1];
const objective = (e: Evaluation) => e.p10 + e.r50;

/** Each fitting procedure's figures on labels it was not fitted on: 5 folds of the labels on ≥ 5 articles. */
function crossValidated(data: TuneData, codes: readonly string[], procedure: (codes: readonly string[]) => PersonWeights): Evaluation {
  const evaluated = codes.filter((c) => data.labels[c]!.labelled.length >= 5);
  let p10 = 0;
  let r50 = 0;
  for (let f = 0; f < 5; f++) {
    const held = evaluated.filter((_, i) => i % 5 === f);
    const w = procedure(codes.filter((c) => !held.includes(c)));
    const e = evaluate(data, held, (x) => personSalience(x, w));
    p10 += e.p10 * e.names;
    r50 += e.r50 * e.names;
  }
  return { p10: p10 / evaluated.length, r50: r50 / evaluated.length, names: evaluated.length };
}

const show = (w: PersonWeights) => [...PERSON_FEATURES, 'bias' as const].filter((n) => w[n] !== 0).map((n) => `${n} ${w[n].toFixed(2)}`).join(', ');

async function main(): Promise<void> {
  const at = process.argv.indexOf('--cache');
  const data = await tuneData(at > 0 ? process.argv[at + 1] : undefined);
  const codes = Object.keys(data.labels).sort();
  const evaluated = codes.filter((c) => data.labels[c]!.labelled.length >= 5);
  console.log(`tune half: ${data.articles.length} articles with people, ${codes.length} person labels, ${evaluated.length} on ≥ 5 articles\n`);
  console.log('| procedure | cross-validated P@10 / R@50 | in-sample P@10 / R@50 | weights (in-sample fit) |');
  console.log('| --- | --- | --- | --- |');
  const hand = { ...PERSON_WEIGHTS, bias: 10 };
  const current = evaluate(data, codes, (x) => personSalience(x, hand));
  console.log(`| current weights (no fit) | ${fmt(current)} | ${fmt(current)} | ${show(PERSON_WEIGHTS)} |`);
  const per = evaluated.map((c) => evaluate(data, [c], (x) => personSalience(x, hand)).p10);
  const sd = Math.sqrt(per.reduce((sum, p) => sum + (p - current.p10) ** 2, 0) / (per.length - 1));
  console.log(`| (standard error of the current P@10 over the ${per.length} labels: ${(sd / Math.sqrt(per.length)).toFixed(3)}) | | | |`);
  const procedures: [string, (c: readonly string[]) => PersonWeights][] = [
    ...[0.001, 0.01, 0.1].map((l): [string, (c: readonly string[]) => PersonWeights] => [`pairwise logistic, λ ${l}`, (c) => weightsOf(fit(data, c, l, 'pairwise'))]),
    ...[0.001, 0.01, 0.1].map((l): [string, (c: readonly string[]) => PersonWeights] => [`pointwise logistic, λ ${l}`, (c) => weightsOf(fit(data, c, l, 'pointwise'))]),
    ['forward selection from the current weights', (c) => forward(data, c)],
  ];
  for (const [name, procedure] of procedures) {
    const w = procedure(codes);
    console.log(`| ${name} | ${fmt(crossValidated(data, codes, procedure))} | ${fmt(evaluate(data, codes, (x) => personSalience(x, w)))} | ${show({ ...w, bias: w.bias - 10 })} |`);
  }
  const chosen = { ...PERSON_WEIGHTS, bias: 10 };
  const thresholds = [1.2, 1.4, 1.5, 1.6, 1.7, 1.8, 2, 2.5];
  console.log(`\nabout-first order, current weights: ${thresholds.map((t) => `${t}: ${fmt(evaluate(data, codes, (x) => personSalience(x, chosen) - 10, 'about-first', t))}`).join('; ')}`);
}

await main();
