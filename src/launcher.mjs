#!/usr/bin/env node
// The `clab-bot` command: the compiled CLI when it was built (npm run build, the Docker image),
// otherwise the TypeScript sources through tsx, so a fresh clone needs no build step.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/src/cli.js', import.meta.url);
let cli;
if (existsSync(compiled)) {
  cli = await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(new URL('./cli.ts', import.meta.url).href);
}
process.exitCode = await cli.main(process.argv.slice(2));
