/** Fictional stories for the entity-resolution tests: namesakes, accents, an organisation asked by its acronym. */
export const RESOLUTION_STORIES = [
  {
    id: 'r-lavrov-1',
    title: 'Lavrov visits Geneva',
    body: 'Russian Foreign Minister Sergei Lavrov arrived in Geneva for United Nations talks. Lavrov said the UN must act.',
    publishedAt: '2026-01-10T09:00:00Z',
  },
  {
    id: 'r-lavrov-2',
    title: 'Talks resume',
    body: 'Foreign Minister Sergei Lavrov met envoys on Tuesday. Lavrov told reporters the talks would go on.',
    publishedAt: '2026-01-12T09:00:00Z',
  },
  {
    id: 'r-erdogan',
    title: 'Ankara budget',
    body: 'President Recep Tayyip Erdoğan presented the budget in Ankara. Erdoğan said growth would return.',
    publishedAt: '2026-01-14T09:00:00Z',
  },
  {
    id: 'r-james-baker',
    title: 'Dollar policy',
    body: 'Treasury Secretary James Baker said the dollar was stable. James Baker spoke in Washington.',
    publishedAt: '2026-01-15T09:00:00Z',
  },
  {
    id: 'r-howard-baker',
    title: 'White House staff',
    body: 'White House chief of staff Howard Baker said the president would decide. Howard Baker met senators.',
    publishedAt: '2026-01-16T09:00:00Z',
  },
];
