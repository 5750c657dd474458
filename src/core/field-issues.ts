import type { z } from 'zod';
import type { FieldIssue } from './errors.js';

/** zod's issues as {@link FieldIssue}s with dotted paths (`tags.2`); an issue about the whole value has path `(root)`. */
export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.'),
    message: issue.message,
  }));
}
