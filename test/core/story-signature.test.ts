import fc from 'fast-check';
import { BANDS, COPY_JACCARD, ROWS, bandKeys, estimatedJaccard, storySignature } from '../../src/core/story-signature.js';

const WIRE = 'Gold prices rose on Monday as investors bought the metal after the dollar fell against the yen in Tokyo, dealers said. '
  + 'Bullion traders expect the warrant bond issue to draw strong demand from Swiss banks later in the week.';
const OTHER = 'The rowing club won four races along the northern shore on a windy Saturday, its coach told reporters after the regatta.';

describe('storySignature', () => {
  it('when a text is signed, then it has BANDS x ROWS values and the same text always gives the same signature', () => {
    const s = storySignature(WIRE);
    expect(s).toHaveLength(BANDS * ROWS);
    expect(storySignature(WIRE)).toEqual(s);
  });

  it('when a copy differs only in case, accents, spacing and punctuation, then the signatures are equal', () => {
    expect(storySignature(WIRE.toUpperCase().replace(/ /g, '  ').replace(/,/g, ' ;'))).toEqual(storySignature(WIRE));
    expect(storySignature('Café in Zürich reopens')).toEqual(storySignature('CAFE IN ZURICH REOPENS'));
  });

  it('when a copy has one word changed or a line added, then the estimate stays above the copy threshold and they share a band', () => {
    const edited = storySignature(WIRE.replace('Monday', 'Tuesday'));
    const longer = storySignature(`${WIRE} (Reporting by the London bureau.)`);
    for (const s of [edited, longer]) {
      expect(estimatedJaccard(s, storySignature(WIRE))).toBeGreaterThanOrEqual(COPY_JACCARD);
      expect(bandKeys(s).some((k) => bandKeys(storySignature(WIRE)).includes(k))).toBe(true);
    }
  });

  it('when two stories are unrelated, then the estimate is near 0 and no band is shared', () => {
    expect(estimatedJaccard(storySignature(WIRE), storySignature(OTHER))).toBeLessThan(0.1);
    expect(bandKeys(storySignature(WIRE)).filter((k) => bandKeys(storySignature(OTHER)).includes(k))).toEqual([]);
  });

  it('when the text is empty or shorter than a shingle, then it still has a signature (equal for equal texts)', () => {
    expect(storySignature('')).toEqual(storySignature('  ...  '));
    expect(storySignature('Budget passed')).toEqual(storySignature('budget PASSED'));
    expect(estimatedJaccard(storySignature('Budget passed'), storySignature('Budget failed'))).toBeLessThan(0.2);
  });

  it('when any two texts are compared, then the estimate is symmetric, in [0, 1], and 1 for a text and itself', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const [sa, sb] = [storySignature(a), storySignature(b)];
        const j = estimatedJaccard(sa, sb);
        expect(j).toBe(estimatedJaccard(sb, sa));
        expect(j).toBeGreaterThanOrEqual(0);
        expect(j).toBeLessThanOrEqual(1);
        expect(estimatedJaccard(sa, storySignature(a))).toBe(1);
      }),
    );
  });

  it('when a signature is cut into bands, then there is one key per band, each naming its band', () => {
    const keys = bandKeys(storySignature(WIRE));
    expect(keys).toHaveLength(BANDS);
    keys.forEach((k, b) => expect(Math.floor(k / 2 ** 32)).toBe(b));
  });
});
