/**
 * Compiles a bench child's entry point to plain JavaScript, so the process measured runs like the
 * built bot (`node dist/…`) rather than under tsx, whose loader thread and transpile caches add
 * about 100 MB of RSS that production never has. esbuild comes with tsx; packages stay external
 * and resolve from the repository's node_modules.
 */
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));
/** Inside the repository, so `import 'ssh2'` in the output finds node_modules. */
export const COMPILED_DIR = join(REPO, 'node_modules', '.cache', 'clab-bot-bench');

/**
 * Bundles `entry` (a .ts file) and returns the .js path to run with `node`. The name keeps the
 * entry's (cli.ts → cli.js): src/cli.ts runs its main only when started as `cli.js`.
 */
export async function compileEntry(entry: string): Promise<string> {
  mkdirSync(COMPILED_DIR, { recursive: true });
  // Node stops looking for "type" at node_modules: the folder declares its own ESM scope.
  writeFileSync(join(COMPILED_DIR, 'package.json'), '{ "type": "module" }\n');
  const outfile = join(COMPILED_DIR, basename(entry).replace(/\.ts$/, '.js'));
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  return outfile;
}
