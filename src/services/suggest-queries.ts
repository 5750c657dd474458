import type { Suggestion } from '../core/suggest/suggest-index.js';

/** Where completions come from: the index host's suggestion index (index-host/suggest-state.ts), over IPC or not. */
export interface QuerySuggester {
  suggestQueries(q: string, limit: number): Promise<Suggestion[]>;
}

/**
 * Completions for the search box: titles, entity names and phrases frequent in titles whose words start with the
 * words of `q`, those whose text starts with `q` first, then the most articles (core/suggest/suggest-index.ts).
 */
export function suggestQueries(deps: { suggestions: QuerySuggester }, q: string, limit: number): Promise<Suggestion[]> {
  return deps.suggestions.suggestQueries(q, limit);
}
