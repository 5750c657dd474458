/**
 * A reproducible synthetic news corpus for indexer tests: `count` articles with ids `gen-<n>`, a headline and a
 * body of about `words` words drawn from a small vocabulary by a seeded generator (mulberry32), as JSON Lines.
 */
export function generatedCorpus(count: number, words = 150, seed = 7): string {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const vocabulary = Array.from({ length: 3000 }, (_, i) => `w${i.toString(36)}${'aeiou'[i % 5]}n`);
  const pick = () => vocabulary[Math.floor(random() ** 2 * vocabulary.length)]!;
  const sentence = (n: number) => Array.from({ length: n }, pick).join(' ');
  const lines: string[] = [];
  for (let i = 1; i <= count; i++) {
    const body = Array.from({ length: Math.ceil(words / 15) }, () => `${sentence(15)}.`).join(' ');
    lines.push(JSON.stringify({ id: `gen-${i}`, title: `Harbour ${sentence(6)}`, body, publishedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString() }));
  }
  return `${lines.join('\n')}\n`;
}
