import { readFile } from 'node:fs/promises';

import { InventoryError } from '../errors.js';
import type { InventoryWarning } from './types.js';

/**
 * Why a file was (partly) skipped. `malformed` may be a file caught mid-write: the registry keeps
 * the previous read of such a file instead of dropping its lab.
 */
export type WarningCause = 'empty' | 'malformed' | 'unreadable' | 'stale' | 'content';

export interface ReaderWarning extends InventoryWarning {
  readonly cause: WarningCause;
}

/** One line naming the file and, for structure problems, the field: `<file>: <field>: <reason>`. */
export function fileWarning(file: string, cause: WarningCause, reason: string, field?: string): ReaderWarning {
  return { file, cause, message: new InventoryError(file, reason, field).message };
}

export type TextRead =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly missing: boolean; readonly warning: ReaderWarning };

/** Reads a lab file; a file that vanished (lab destroyed, file replaced) is `missing`, not an error. */
export async function readText(file: string): Promise<TextRead> {
  try {
    return { ok: true, text: await readFile(file, 'utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const missing = code === 'ENOENT' || code === 'ENOTDIR';
    const reason = missing ? 'file not found' : `cannot read file (${code ?? (err as Error).message})`;
    return { ok: false, missing, warning: fileWarning(file, 'unreadable', reason) };
  }
}
