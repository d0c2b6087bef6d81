import { asClabBotError } from '../errors.js';
import { exitCodeForError } from '../exit-codes.js';

/** Runs an admin command, printing a typed error as one line (with its hint) instead of a stack. */
export async function guarded(fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (err) {
    const e = asClabBotError(err);
    process.stderr.write(`error: ${e.message}\n${e.hint ? `hint: ${e.hint}\n` : ''}`);
    if (e.code === 'internal' && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return exitCodeForError(e);
  }
}
