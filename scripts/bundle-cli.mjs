// Bundles the CLI into dist/cli/ (run by `npm ci` through the prepare script, and by `npm run build`).
// One-shot verbs start in a fraction of the time the unbundled modules take: loading a few large
// files instead of ~1000 small ones (kysely and zod alone are hundreds). Packages with native
// addons, worker-thread transports or their own lazy loading stay external (node_modules).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

const outdir = new URL('../dist/cli/', import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { cli: new URL('../src/cli.ts', import.meta.url).pathname },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  external: ['better-sqlite3', 'ssh2', 'pg', 'pino', '@slack/bolt'],
  // Bundled CommonJS packages call require() for Node's own modules.
  banner: { js: "import { createRequire as clabBotCreateRequire } from 'node:module'; const require = clabBotCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
