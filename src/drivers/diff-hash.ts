import { createHash } from 'node:crypto';

/**
 * Canonical form of a diff for hashing: line endings, trailing spaces and blank lines do not
 * change what will be committed, so they do not change the hash. Every driver hashes this way.
 */
export function normaliseDiff(diff: string): string {
  return diff
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line !== '')
    .join('\n');
}

/** sha256 hex of the normalised diff: what an approval is bound to. */
export function diffHash(diff: string): string {
  return createHash('sha256').update(normaliseDiff(diff), 'utf8').digest('hex');
}
