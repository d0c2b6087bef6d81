#!/usr/bin/env node
// The `clab-bot` command: the bundled CLI (built by `npm ci` through the prepare script, or
// `npm run build`), unless a source file changed since that build: then the TypeScript sources
// through tsx (a devDependency), so an edited checkout never runs stale code.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = new URL('../dist/cli/cli.mjs', import.meta.url);
const roots = [new URL('./', import.meta.url), new URL('../migrations/', import.meta.url)].map((u) => fileURLToPath(u));

/** Newest modification time of the .ts sources (a few hundred stats: a few milliseconds). */
function newestSource() {
  let newest = 0;
  for (const root of roots) {
    if (!existsSync(root)) continue;
    for (const name of readdirSync(root, { recursive: true })) {
      if (name.endsWith('.ts')) newest = Math.max(newest, statSync(root + name).mtimeMs);
    }
  }
  return newest;
}

let cli;
if (existsSync(compiled) && newestSource() <= statSync(compiled).mtimeMs) {
  cli = await import(compiled.href);
} else {
  if (existsSync(compiled)) process.stderr.write('clab-bot: sources changed since the last build; running them through tsx (npm run build to start faster)\n');
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(new URL('./cli.ts', import.meta.url).href);
}
process.exitCode = await cli.main(process.argv.slice(2));
