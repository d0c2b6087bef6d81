import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { TextSource } from './load.js';

/** Where containerlab is, if it is on PATH (DESIGN.md §4: inspect output is the second source). */
export async function findContainerlab(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'containerlab');
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/**
 * `containerlab inspect --all --format json`, as a text source for the inventory. A failure (no
 * Docker access, no labs, a slow daemon) yields no source and a reason: deployed labs' own
 * topology-data.json files still load.
 */
export function inspectAll(binary: string, timeoutMs = 10_000): Promise<{ source?: TextSource; problem?: string }> {
  return new Promise((resolve) => {
    execFile(binary, ['inspect', '--all', '--format', 'json'], { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        resolve({ problem: `containerlab inspect failed: ${(stderr || err.message).split('\n')[0]}` });
        return;
      }
      resolve({ source: { source: 'containerlab inspect', text: stdout } });
    });
  });
}
