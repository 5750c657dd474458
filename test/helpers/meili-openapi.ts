import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { readArtifact } from './meili-artifacts.js';

/**
 * Meilisearch's OpenAPI document (openapi-v1.49.0.json in ../shared/meilisearch, OpenAPI 3.1 = JSON Schema 2020-12)
 * as validators of requests and answers: {@link SpecValidator.request} checks a request body against the
 * operation's `requestBody`, {@link SpecValidator.response} an answer against the schema of its status — or, for an
 * error status the document does not list (it lists 401 and 404 only), against `ResponseError`, whose `code` must be
 * one of the server's codes. Where a status differs from the v1.50.0 tests, the tests win (see the recorded replay).
 */

type Json = Record<string, unknown>;
interface Operation {
  readonly requestBody?: { content?: Record<string, { schema?: Json }> };
  readonly responses?: Record<string, { content?: Record<string, { schema?: Json }> }>;
}

/**
 * Where the document contradicts itself, its own words win: TaskView's `startedAt` and `finishedAt` are typed
 * `string` while their descriptions (and the server, e.g. tests/tasks) say they are `null` until the task starts or
 * finishes — the only two corrections.
 */
function correct(components: Json): void {
  const task = (components.schemas as Record<string, { properties: Record<string, Json> }>).TaskView!.properties;
  for (const field of ['startedAt', 'finishedAt']) {
    if (!String(task[field]!.description).includes('`null`')) throw new Error(`TaskView.${field}: the correction no longer applies`);
    task[field] = { ...task[field], type: ['string', 'null'] };
  }
}

export class SpecValidator {
  private readonly ajv: Ajv2020;
  private readonly paths: [RegExp, string, Record<string, Operation>][];
  private readonly cache = new Map<string, ValidateFunction>();

  constructor() {
    const spec = JSON.parse(readArtifact('openapi-v1.49.0.json')) as { paths: Record<string, Record<string, Operation>>; components: Json };
    correct(spec.components);
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    this.ajv.addSchema({ $id: 'meili', components: spec.components });
    // templates with fewer parameters first, so that /tasks/cancel wins over /tasks/{task_id}
    this.paths = Object.entries(spec.paths)
      .sort(([a], [b]) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0))
      .map(([template, ops]) => [new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}/?$`), template, ops]);
  }

  /** The operation of `method path`, or undefined when the document has no such route. */
  operation(method: string, path: string): { template: string; op: Operation } | undefined {
    for (const [re, template, ops] of this.paths) {
      const op = ops[method.toLowerCase()];
      if (re.test(path) && op) return { template, op };
    }
    return undefined;
  }

  private validator(key: string, schema: Json): ValidateFunction {
    let found = this.cache.get(key);
    if (!found) {
      // component references resolve inside the registered document
      const rewritten = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"meili#/components/')) as Json;
      found = this.ajv.compile(rewritten);
      this.cache.set(key, found);
    }
    return found;
  }

  private check(key: string, schema: Json | undefined, value: unknown): string[] {
    if (schema === undefined) return [];
    const validate = this.validator(key, schema);
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  }

  /** Problems of a request body; a route the document lacks is a problem too. */
  request(method: string, path: string, body: unknown): string[] {
    const found = this.operation(method, path);
    if (!found) return [`${method} ${path}: no such route in the OpenAPI document`];
    const schema = found.op.requestBody?.content?.['application/json']?.schema;
    if (body === undefined) return [];
    return this.check(`req ${method} ${found.template}`, schema, body).map((e) => `${method} ${path} request: ${e}`);
  }

  /** Problems of an answer (status and JSON body; undefined for an empty body). */
  response(method: string, path: string, status: number, body: unknown): string[] {
    const found = this.operation(method, path);
    if (!found) return [`${method} ${path}: no such route in the OpenAPI document`];
    const listed = found.op.responses?.[String(status)];
    const schema = listed?.content?.['application/json']?.schema ?? (status >= 400 ? { $ref: '#/components/schemas/ResponseError' } : undefined);
    if (!listed && status < 400) return [`${method} ${path}: status ${status} is not in the OpenAPI document`];
    return this.check(`res ${method} ${found.template} ${status}`, schema, body).map((e) => `${method} ${path} ${status}: ${e}`);
  }
}
