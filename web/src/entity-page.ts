import { ApiError, getJson, refusalReason } from './api.js';
import { byId, formatDate, h, showMessage } from './dom.js';
import { entityKind, entityPath } from './entities.js';
import { relatedList } from './related-list.js';
import { followBurstsPath } from './saved-searches.js';
import { stateToSearch, toggleFilter, emptyState } from './search-state.js';
import { fillMonths } from './timeline.js';
import { timelineFigure } from './timeline-chart.js';
import { burstSummary, monthSpan, periodLabel } from './bursts.js';
import { formatDay } from './dates.js';
import type { ChartBand } from './timeline-chart.js';
import type { EntityBurst, EntityResponse, NewCompanion } from './types.js';

const entityBox = byId('entity');
const errorBox = byId('error');

/** The type and name from the address `/entity/:type/:name`. */
function entityFromPath(): { type: string; name: string } | undefined {
  const match = /^\/entity\/([^/]+)\/([^/]+)\/?$/.exec(location.pathname);
  if (!match?.[1] || !match[2]) return undefined;
  try {
    return { type: decodeURIComponent(match[1]), name: decodeURIComponent(match[2]) };
  } catch {
    return undefined;
  }
}

function section(id: string, title: string, content: Node[]): HTMLElement {
  return h('section', { attrs: { 'aria-labelledby': id } }, [h('h2', { text: title, attrs: { id } }), ...content]);
}

/** The monthly chart, or, when no article naming it has a date, a sentence saying so instead of an empty chart. */
function timeline(entity: EntityResponse): Node[] {
  const months = fillMonths(entity.timeline);
  const bands = (entity.bursts ?? []).flatMap((b): ChartBand[] => {
    const span = monthSpan(months.map((m) => m.month), b);
    return span ? [{ ...span, label: `Burst: ${periodLabel(b)}, ${burstSummary(b)}` }] : [];
  });
  if (months.some((m) => m.articles > 0)) return [timelineFigure(months, 'timeline', bands)];
  const none = entity.articles === 1 ? 'The article naming it has no publication date' : `None of the ${entity.articles} articles naming it has a publication date`;
  return [h('p', { class: 'no-timeline', text: `${none}, so there is nothing to chart by month.` })];
}

/** Chips linking to entities first named with it: name and articles shared in the period. */
function companionChips(list: readonly NewCompanion[]): HTMLElement {
  return h('ul', { class: 'chips' }, list.map((c) => h('li', {}, [
    h('a', { class: 'chip', text: `${c.name} (${c.articles})`, attrs: { href: entityPath(c.type, c.name), 'aria-label': `${c.name}, ${entityKind(c.type)?.singular ?? c.type}, ${c.articles} articles together, first on ${formatDate(c.firstSeen)}` } }),
  ])));
}

/** Each burst: its days, its articles against what its usual rate expects, its peak, and who was new in it. */
function bursts(list: readonly EntityBurst[]): Node[] {
  if (list.length === 0) return [h('p', { text: 'No period stands out: it is named at its usual rate.' })];
  return [
    h('ol', { class: 'bursts' }, list.map((b) => h('li', {}, [
      h('strong', { text: periodLabel(b) }),
      `: ${burstSummary(b)}; most on ${formatDay(b.peak)}.`,
      ...(b.newCompanions.length > 0 ? [h('p', { text: 'First named with it then:' }), companionChips(b.newCompanions)] : []),
    ]))),
    h('p', { class: 'hint', text: "A burst is a run of days where it is named in a clearly larger share of the day's articles than usual (Kleinberg's burst detection)." }),
  ];
}

/** A link to the saved-searches page, prefilled to be told of its next bursts (for whoever holds the admin key). */
function followLink(entity: EntityResponse): HTMLElement {
  return h('p', {}, [h('a', { text: 'Be told of its next bursts', attrs: { href: followBurstsPath(entity.type, entity.name) } }), ' (a saved search; needs the admin key).']);
}

function render(entity: EntityResponse): void {
  const kind = entityKind(entity.type);
  document.title = `${entity.name} — newsfind`;
  const seen = entity.firstSeen && entity.lastSeen ? `, from ${formatDate(entity.firstSeen)} to ${formatDate(entity.lastSeen)}` : '';
  const filter = kind ? stateToSearch(toggleFilter(emptyState(), kind.filter, entity.name, true)) : '';
  const summary = h('p', { class: 'lead' }, [
    h('strong', { text: `${entity.articles} ${entity.articles === 1 ? 'article' : 'articles'}` }),
    seen,
    filter ? ' · ' : '',
    ...(filter ? [h('a', { text: 'search them', attrs: { href: `/${filter}` } })] : []),
  ]);
  const related = entity.related.length === 0
    ? [h('p', { text: 'No other entity is named with it.' })]
    : [h('ul', { class: 'chips' }, entity.related.map((r) => h('li', {}, [
        h('a', { class: 'chip', text: `${r.name} (${r.articles})`, attrs: { href: entityPath(r.type, r.name), 'aria-label': `${r.name}, ${entityKind(r.type)?.singular ?? r.type}, ${r.articles} articles together` } }),
      ])))];
  entityBox.replaceChildren(
    h('p', { class: 'kicker', text: kind?.singular ?? entity.type }),
    h('h1', { text: entity.name }),
    summary,
    section('timeline-heading', 'Articles per month', timeline(entity)),
    ...(entity.bursts ? [section('bursts-heading', 'Bursts', [...bursts(entity.bursts), followLink(entity)])] : []),
    section('related-heading', 'Most often named with it', related),
    ...(entity.newCompanions && entity.newCompanions.length > 0
      ? [section('new-heading', 'Newly named with it (its last 30 days)', [companionChips(entity.newCompanions)])]
      : []),
    section('latest-heading', 'Latest articles', entity.latest.length > 0 ? [relatedList(entity.latest)] : [h('p', { text: 'No articles.' })]),
  );
}

async function main(): Promise<void> {
  const wanted = entityFromPath();
  const kind = wanted && entityKind(wanted.type);
  try {
    if (!wanted || !kind) throw new ApiError(404, 'not_found', 'unknown entity type');
    render(await getJson<EntityResponse>(`/api/entities/${kind.type}/${encodeURIComponent(wanted.name)}`));
  } catch (error) {
    entityBox.replaceChildren(h('h1', { text: wanted?.name ?? 'Unknown entity' }));
    const missing = error instanceof ApiError && error.status === 404;
    const refused = refusalReason(error);
    showMessage(
      errorBox,
      missing ? 'No article names this entity.' : refused ? `The entity cannot be shown: ${refused}.` : 'The service did not answer; try again later.',
    );
  }
}

void main();
