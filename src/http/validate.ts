import type { z } from 'zod';
import { ValidationError } from '../core/errors.js';
import { toFieldIssues } from '../core/field-issues.js';

/** Parses request input with a schema, or throws a ValidationError listing every problem. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issues = toFieldIssues(parsed.error);
    const unknown = parsed.error.issues.find((i) => i.code === 'unrecognized_keys');
    const detail = unknown ? `unknown ${what}: ${unknown.keys.join(', ')}` : `invalid ${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`;
    throw new ValidationError(detail, issues);
  }
  return parsed.data;
}
