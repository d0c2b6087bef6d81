#!/usr/bin/env node
// The `clab-bot` command: the bundled CLI (built by `npm ci` through the prepare script, or
// `npm run build`), unless a source file changed since that build: then the TypeScript sources
// through tsx (a devDependency), so an edited checkout never runs stale code.
import { readFileSync, statSync } from 'node:fs';

const compiled = new URL('../dist/cli/cli.mjs', import.meta.url);
const root = new URL('../', import.meta.url);

/**
 * Whether the bundle is older than a source file it was built from (dist/cli/sources.json, written
 * by the build: a few hundred stats, about a millisecond). No bundle, or no list: stale.
 */
function bundleIsStale() {
  let built;
  let sources;
  try {
    built = statSync(compiled).mtimeMs;
    sources = JSON.parse(readFileSync(new URL('../dist/cli/sources.json', import.meta.url), 'utf8'));
  } catch {
    return true;
  }
  for (const file of sources) {
    // A source removed since the build counts as a change.
    const stat = statSync(new URL(file, root), { throwIfNoEntry: false });
    if (stat === undefined || stat.mtimeMs > built) return true;
  }
  return false;
}

let cli;
const stale = bundleIsStale();
if (!stale) {
  cli = await import(compiled.href);
} else {
  if (statSync(compiled, { throwIfNoEntry: false })) process.stderr.write('clab-bot: sources changed since the last build; running them through tsx (npm run build to start faster)\n');
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(new URL('./cli.ts', import.meta.url).href);
}
process.exitCode = await cli.main(process.argv.slice(2));
