import { displayFilter, FilterError, parseFilter } from '../helpers/meili-filter.js';
import { filterGrammarCases, haveMeiliArtifacts } from '../helpers/meili-artifacts.js';

/**
 * The stub's filter parser (test/helpers/meili-filter.ts) against the unit tests of Meilisearch's own filter parser
 * (filter-parser/src/lib.rs at v1.50.0, read from ../shared/meilisearch at test time): every `p(input)` snapshot is
 * parsed and printed in the crate's Display form; inputs of its `error()` test must be refused. Geo, `_vectors` and
 * `_foreign` filters are not modelled by the stub: those cases must be refused with a FilterError naming them.
 */

const present = haveMeiliArtifacts('the filter-grammar replay');
const cases = present ? filterGrammarCases() : [];
const UNMODELLED = /_geo|_vectors|_foreign/;

(present ? describe : describe.skip)('Meilisearch filter grammar (filter-parser/src/lib.rs, v1.50.0)', () => {
  it('when the crate is read, then it holds more than 150 snapshot cases, both parses and errors', () => {
    expect(cases.length).toBeGreaterThan(150);
    expect(cases.filter((c) => c.error).length).toBeGreaterThan(20);
  });

  const parses = cases.filter((c) => !c.error && !UNMODELLED.test(c.input));
  it.each(parses.map((c) => [c.line, c.input, c.expected] as const))('line %i: when %j is parsed, then it prints as the crate does', (_line, input, expected) => {
    expect(displayFilter(parseFilter(input))).toBe(expected);
  });

  const errors = cases.filter((c) => c.error);
  it.each(errors.map((c) => [c.line, c.input, c.expected] as const))('line %i: when %j is parsed, then it is refused', (_line, input, expected) => {
    expect(() => parseFilter(input)).toThrow(FilterError);
    // the crate's message is the snapshot's first line; the stub says the same for the common mistakes
    const first = expected.split('\n')[0]!;
    if (/^(Found unexpected|Was expecting a value)/.test(first)) expect(() => parseFilter(input)).toThrow(first);
  });

  const unmodelled = cases.filter((c) => !c.error && UNMODELLED.test(c.input));
  it('when a geo, _vectors or _foreign filter is given, then the stub refuses it by name (not modelled)', () => {
    for (const c of unmodelled) expect(() => parseFilter(c.input)).toThrow(/not modelled|reserved/);
  });
});
