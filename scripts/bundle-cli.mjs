// Bundles the CLI into dist/cli/ (run by `npm ci` through the prepare script, and by `npm run build`).
// One-shot verbs start in a fraction of the time the unbundled modules take: loading a few large
// files instead of ~1000 small ones (kysely and zod alone are hundreds). Packages with native
// addons, worker-thread transports or their own lazy loading stay external (node_modules).
import { build } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';

const root = new URL('../', import.meta.url).pathname;
const outdir = new URL('../dist/cli/', import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });
const { metafile } = await build({
  absWorkingDir: root,
  metafile: true,
  entryPoints: { cli: new URL('../src/cli.ts', import.meta.url).pathname },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  // graph's renderers: resvg loads a native addon, and the Graphviz WebAssembly build is megabytes only graph needs.
  external: ['better-sqlite3', 'ssh2', 'pg', 'pino', '@slack/bolt', '@hpcc-js/wasm-graphviz', '@resvg/resvg-js'],
  // Bundled CommonJS packages call require() for Node's own modules.
  banner: { js: "import { createRequire as clabBotCreateRequire } from 'node:module'; const require = clabBotCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});

// The project's own files in the bundle: the launcher stats just these to see whether the build is
// stale (an edited file, or a new one, which only counts once an included file imports it).
const sources = Object.keys(metafile.inputs).filter((f) => !f.startsWith('node_modules/'));
writeFileSync(new URL('sources.json', `file://${outdir}`), `${JSON.stringify(sources)}\n`);

