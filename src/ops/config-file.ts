import { createHash } from 'node:crypto';
import { existsSync, realpathSync, readFileSync, statSync, type Stats } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { ClabBotError } from '../errors.js';
import type { LabNode } from '../inventory/types.js';

const WHERE_HINT = 'put the file in the lab directory (next to the .clab.yml) or in the configs_dir of clab-bot.yaml';

/**
 * Refused: the path leaves the directories config files may come from (with the hint where they
 * may live), or the file itself is unusable (too large, not a regular file: no hint, moving it would not help).
 */
export class ConfigPathError extends ClabBotError {
  constructor(message: string, hint: string | null = WHERE_HINT) {
    super('config_path', message, hint === null ? {} : { hint });
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
export interface ReadConfigOptions {
  /**
   * The requester is a policy subject (Slack, or a terminal bound with terminal_subject): refuse
   * what a lab directory holds besides configurations (see sensitivePathProblem).
   */
  readonly restricted?: boolean;
  /**
   * The trusted terminal's working directory: the host's operator (DESIGN.md §7) may load any
   * file it can read, relative to here first; a name not found here is looked up in the lab
   * directories. Never set together with `restricted`.
   */
  readonly localFrom?: string;
}

export function readConfigFile(path: string, nodes: readonly LabNode[], configsDir: string | undefined, options: ReadConfigOptions = {}): ConfigFile {
  if (path.includes('\0')) throw new ConfigPathError('the file name contains a NUL byte', null);
  if (options.localFrom !== undefined && options.restricted !== true) {
    const local = resolve(options.localFrom, path);
    if (isAbsolute(path) || existsSync(local)) return readRegularFile(path, local);
  }
  const roots = [...new Set([...nodes.map((n) => n.labDir), ...(configsDir ? [configsDir] : [])])];
  const candidates: ConfigFile[] = [];
  const errors: string[] = [];
  for (const root of roots) {
    const found = tryRoot(path, root, errors, options.restricted === true);
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

function tryRoot(path: string, root: string, errors: string[], restricted: boolean): ConfigFile | undefined {
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
  const sensitive = restricted ? sensitivePathProblem(relative(realRoot, real)) : undefined;
  if (sensitive !== undefined) {
    errors.push(`${path} is refused: ${sensitive}`);
    return undefined;
  }
  const file = readRegularFile(path, real);
  if (restricted && PRIVATE_KEY.test(file.content)) {
    errors.push(`${path} is refused: it holds a private key`);
    return undefined;
  }
  return file;
}

/** A regular file within the size limit; anything else is refused with what is wrong with it. */
function readRegularFile(path: string, file: string): ConfigFile {
  let st: Stats;
  try {
    st = statSync(file);
  } catch (err) {
    throw new ConfigPathError(`config file ${path}: ${unreadable(err)}`, null);
  }
  if (!st.isFile()) throw new ConfigPathError(`${path} is not a regular file`, null);
  if (st.size > MAX_BYTES) throw new ConfigPathError(`${path} is ${st.size} bytes; config files over ${MAX_BYTES} bytes are refused`, null);
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigPathError(`config file ${path}: ${unreadable(err)}`, null);
  }
  return { path: realpathSync(file), content, sha256: sha256(content) };
}

function unreadable(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
}

/** Key material by name: SSH keys, TLS keys and keystores. */
const KEY_FILE = /(^id_(rsa|dsa|ecdsa|ed25519)(_sk)?$)|\.(key|pem|p12|pfx|jks|keystore|kdbx)$/i;
const PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

/**
 * Why a file inside a lab directory is not a configuration a chat user may load, or undefined.
 * containerlab writes `clab-<lab>/` next to the topology: the nornir inventory with node
 * passwords, TLS keys and certificates, the Ansible inventory; hidden files hold `.env` secrets
 * and SSH material; key files are refused by name (and by content, after reading). A configuration
 * is loaded into a diff the requester sees, so anything readable here would leak through it.
 * `relPath` is relative to the lab directory (or configs_dir).
 */
function sensitivePathProblem(relPath: string): string | undefined {
  const parts = relPath.split(sep).filter((p) => p !== '');
  const dirs = parts.slice(0, -1);
  const name = parts.at(-1) ?? '';
  if (dirs.some((d) => d.startsWith('clab-'))) {
    return `it is in ${dirs.find((d) => d.startsWith('clab-'))}/, the directory containerlab generates (inventories with node passwords, TLS keys); put configurations beside the topology file instead`;
  }
  if (parts.some((p) => p.startsWith('.'))) return 'hidden files and directories (such as .env or .ssh) are not configuration sources';
  if (KEY_FILE.test(name)) return 'it looks like key material (SSH or TLS key, keystore)';
  return undefined;
}

function inside(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.split(sep).includes('..'));
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Refused because a `--device-file` path is not a file on the device itself. */
export class DeviceFileError extends ClabBotError {
  constructor(message: string) {
    super('config_source', message, {
      hint: 'copy the file onto the device and give its path (for example /var/tmp/lab.conf), or ask an admin to set config_sources.device_urls: true in the policy',
    });
  }
}

/**
 * Why `--device-file PATH` is refused for a policy subject, or undefined. The device fetches
 * URLs itself (`http://169.254.169.254/...`, `ftp://`, `scp://user@host:...`), which would let a
 * chat user make the lab's devices reach any host; unless the policy allows URLs, only a path on
 * the device is accepted: no `scheme:` and no `host:path`, so no colon at all.
 */
export function deviceFileProblem(path: string, allowUrls: boolean): string | undefined {
  if (allowUrls) return undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) return `${path} is a URL; the device would fetch it itself, and the policy allows only paths on the device`;
  if (path.includes(':')) return `${path} names another host or routing engine (\`host:path\`); the policy allows only paths on the device`;
  return undefined;
}
