import type * as z from 'zod';

/** The first zod issue as `field` (dotted path under `base`) and `reason`, for one-line file warnings. */
export function firstIssue(error: z.ZodError, base: readonly (string | number)[] = []): { field: string; reason: string } {
  const issue = error.issues[0];
  const path = [...base, ...(issue?.path ?? [])].map(String);
  return {
    field: path.length === 0 ? '(top level)' : path.join('.'),
    reason: (issue?.message ?? 'invalid').replace(/^Invalid input: /, ''),
  };
}
