import { getJson } from './api.js';

interface OpenApiDocument {
  readonly paths?: Readonly<Record<string, { get?: { parameters?: readonly { name?: string }[] } }>>;
}

/**
 * Whether this API offers entity search (the `person`, `org`, `place` filters and facets of issue 4). Asked of
 * the OpenAPI document, which is generated from the request schemas, so that the page never sends a parameter
 * the API would refuse with a 400. False when the document cannot be read.
 */
export async function hasEntitySearch(): Promise<boolean> {
  try {
    const document = await getJson<OpenApiDocument>('/openapi.json');
    const parameters = document.paths?.['/api/search']?.get?.parameters ?? [];
    return parameters.some((p) => p.name === 'person');
  } catch {
    return false;
  }
}

/** Whether this API offers the search box's completions (`/api/suggest`); false when the document cannot be read. */
export async function hasQuerySuggestions(): Promise<boolean> {
  try {
    const document = await getJson<OpenApiDocument>('/openapi.json');
    return document.paths?.['/api/suggest'] !== undefined;
  } catch {
    return false;
  }
}
