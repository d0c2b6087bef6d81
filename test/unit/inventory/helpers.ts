import { cp, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/containerlab/', import.meta.url));

const made: string[] = [];

export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cb-inventory-'));
  made.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(full)));
    else out.push(full);
  }
  return out;
}

/** `@LABS@`: the folder holding the lab's topology, i.e. the nearest ancestor that is not a clab-<lab> folder. */
function labsFolderOf(file: string): string {
  let dir = dirname(file);
  while (basename(dir).startsWith('clab-')) dir = dirname(dir);
  return dir;
}

/**
 * Copies a fixture folder into a fresh temp dir, resolving `@LABS@`, and dates every
 * topology file a minute before the rest (as a deploy leaves them). Returns the temp dir.
 */
export async function stage(fixture: string, into?: string): Promise<string> {
  const dir = into ?? await tempDir();
  await cp(join(FIXTURES, fixture), dir, { recursive: true });
  const now = Date.now() / 1000;
  for (const file of await filesUnder(dir)) {
    const text = await readFile(file, 'utf8');
    if (text.includes('@LABS@')) await writeFile(file, text.replaceAll('@LABS@', labsFolderOf(file)));
    const when = /\.clab\.ya?ml$/.test(file) ? now - 60 : now;
    await utimes(file, when, when);
  }
  return dir;
}

export async function write(file: string, text: string): Promise<string> {
  await writeFile(file, text);
  return file;
}

export async function mtime(file: string): Promise<number> {
  return (await stat(file)).mtimeMs;
}

/** Polls `check` every 25 ms until it returns true or `timeoutMs` passes. */
export async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}
