import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IndexerState } from '../../indexer/state.js';
import { disappeared } from '../../indexer/sync.js';

/** Which ids --prune removes, given what each source delivered before and what this run saw. */
describe('disappeared (what --prune removes)', () => {
  let tmp: string;
  let state: IndexerState;

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-state-'));
    state = IndexerState.open(path.join(tmp, 'indexer-state.db'));
    state.record([
      { id: 'a1', source: '/a' },
      { id: 'a2', source: '/a' },
      { id: 'moved', source: '/a' },
      { id: 'shared', source: '/a' },
      { id: 'shared', source: '/b' },
      { id: 'b1', source: '/b' },
      { id: 'api', source: undefined },
    ]);
  });

  afterEach(() => {
    state.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const seenOf = (entries: readonly [string, string][]) => ({
    keys: new Set(entries.map(([s, id]) => `${s}\u0000${id}`)),
    ids: new Set(entries.map(([, id]) => id)),
  });

  it('when a source no longer delivers an id, then that id goes, and only from that source', () => {
    const gone = disappeared(state, ['/a'], seenOf([['/a', 'a1'], ['/a', 'moved'], ['/a', 'shared']]));
    expect(gone).toEqual({ ids: ['a2'], entries: [{ source: '/a', id: 'a2' }] });
  });

  it('when an id is still delivered by a source not in this run, then it stays in the index', () => {
    const gone = disappeared(state, ['/a'], seenOf([['/a', 'a1'], ['/a', 'a2'], ['/a', 'moved']]));
    expect(gone).toEqual({ ids: [], entries: [{ source: '/a', id: 'shared' }] });
  });

  it('when an id moved to another source of this run, then it stays, and its old record goes', () => {
    const gone = disappeared(state, ['/a', '/b'], seenOf([['/a', 'a1'], ['/a', 'a2'], ['/a', 'shared'], ['/b', 'shared'], ['/b', 'b1'], ['/b', 'moved']]));
    expect(gone).toEqual({ ids: [], entries: [{ source: '/a', id: 'moved' }] });
  });

  it('when forgotten entries are pruned, then the next run finds nothing more to remove', () => {
    const seen = seenOf([['/a', 'a1']]);
    state.forget(disappeared(state, ['/a'], seen).entries);
    expect(disappeared(state, ['/a'], seen)).toEqual({ ids: [], entries: [] });
    expect(state.idsOf('/b').sort()).toEqual(['b1', 'shared']);
  });
});
