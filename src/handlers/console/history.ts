import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Logger } from '../../log.js';

/** Lines kept in the history file (and in memory for the up arrow). */
export const HISTORY_SIZE = 1000;

/** `~/.clab-bot_history`, or CLAB_BOT_HISTORY; `CLAB_BOT_HISTORY=` (empty) keeps history in memory only. */
export function historyPath(env: NodeJS.ProcessEnv): string | undefined {
  if (env.CLAB_BOT_HISTORY !== undefined) return env.CLAB_BOT_HISTORY === '' ? undefined : env.CLAB_BOT_HISTORY;
  try {
    return join(homedir(), '.clab-bot_history');
  } catch {
    return undefined;
  }
}

/**
 * The console's command history: newest first in memory (readline's order), oldest first in the
 * file (like a shell's), at most HISTORY_SIZE lines. The file is private to the user (0600): a
 * command line can name hosts and paths. Failing to read or write it never stops the console.
 */
export class CommandHistory {
  readonly #file: string | undefined;
  readonly #logger: Logger;
  #lines: string[];

  constructor(file: string | undefined, logger: Logger) {
    this.#file = file;
    this.#logger = logger;
    this.#lines = file === undefined ? [] : readLines(file, logger);
  }

  /** Newest first, a copy for readline's `history` option. */
  lines(): string[] {
    return [...this.#lines];
  }

  /** Takes readline's list after a line was entered and saves it. */
  update(newestFirst: readonly string[]): void {
    this.#lines = newestFirst.slice(0, HISTORY_SIZE);
    if (this.#file === undefined) return;
    try {
      mkdirSync(dirname(this.#file), { recursive: true });
      const text = [...this.#lines].reverse().join('\n');
      writeFileSync(this.#file, text === '' ? '' : `${text}\n`, { mode: 0o600 });
      chmodSync(this.#file, 0o600);
    } catch (err) {
      this.#logger.warn({ file: this.#file, err: (err as Error).message }, 'could not save the console history');
    }
  }
}

function readLines(file: string, logger: Logger): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') logger.warn({ file, err: (err as Error).message }, 'could not read the console history');
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-HISTORY_SIZE)
    .reverse();
}
