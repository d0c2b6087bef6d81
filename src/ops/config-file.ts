import { createHash } from 'node:crypto';
import { realpathSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { ClabBotError } from '../errors.js';
import type { LabNode } from '../inventory/types.js';

/** Refused because the path leaves the directories config files may come from. */
export class ConfigPathError extends ClabBotError {
  constructor(message: string) {
    super('config_path', message, { hint: 'put the file in the lab directory (next to the .clab.yml) or in the configs_dir of clab-bot.yaml' });
  }
}

export interface ConfigFile {
  readonly path: string;
  readonly content: string;
  readonly sha256: string;
}

/** Largest config file accepted: a lab config is kilobytes; megabytes is a mistake or an attack. */
const MAX_BYTES = 2 * 1024 * 1024;

/**
 * Reads `--file PATH` for the target nodes. PATH is relative to each node's lab directory (or the
 * configured configs dir); `../`, absolute paths outside them and symlinks pointing out are refused,
 * so nobody can read the bot host's files through a diff. All targets must resolve to the same file.
 */
export function readConfigFile(path: string, nodes: readonly LabNode[], configsDir: string | undefined): ConfigFile {
  if (path.includes('\0')) throw new ConfigPathError('the file name contains a NUL byte');
  const roots = [...new Set([...nodes.map((n) => n.labDir), ...(configsDir ? [configsDir] : [])])];
  const candidates: ConfigFile[] = [];
  const errors: string[] = [];
  for (const root of roots) {
    const found = tryRoot(path, root, errors);
    if (found) candidates.push(found);
  }
  if (candidates.length === 0) {
    const where = roots.join(', ');
    throw errors.length > 0 ? new ConfigPathError(errors[0]!) : new ConfigPathError(`config file ${path} not found in ${where}`);
  }
  const first = candidates[0]!;
  if (candidates.some((c) => c.sha256 !== first.sha256)) {
    throw new ConfigPathError(`${path} differs between the target labs (${candidates.map((c) => c.path).join(', ')}): target one lab at a time`);
  }
  return first;
}

function tryRoot(path: string, root: string, errors: string[]): ConfigFile | undefined {
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    return undefined;
  }
  const joined = isAbsolute(path) ? path : resolve(realRoot, path);
  if (!inside(realRoot, resolve(joined))) {
    errors.push(`${path} is outside the lab directory ${root}: config files must live inside it or in configs_dir`);
    return undefined;
  }
  let real: string;
  try {
    real = realpathSync(joined);
  } catch {
    return undefined;
  }
  if (!inside(realRoot, real)) {
    errors.push(`${path} is a link that points outside ${root}: refused`);
    return undefined;
  }
  const st = statSync(real);
  if (!st.isFile()) {
    errors.push(`${path} is not a regular file`);
    return undefined;
  }
  if (st.size > MAX_BYTES) {
    errors.push(`${path} is ${st.size} bytes; config files over ${MAX_BYTES} bytes are refused`);
    return undefined;
  }
  const content = readFileSync(real, 'utf8');
  return { path: real, content, sha256: sha256(content) };
}

function inside(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.split(sep).includes('..'));
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
