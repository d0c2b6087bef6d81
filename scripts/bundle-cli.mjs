// Bundles the CLI into dist/cli/cli.cjs (run by `npm ci` through the prepare script, and by `npm run
// build`). One-shot verbs start in a fraction of the time the unbundled modules take: one file
// instead of ~1000 small ones (kysely and zod alone are hundreds). Packages with native addons,
// worker-thread transports or their own lazy loading stay external (node_modules).
//
// CommonJS rather than ESM so the launcher can compile it through vm.Script with V8's code cache
// (Node 20 offers no code cache for ES modules); internal dynamic imports stay lazy (esbuild wraps
// those modules in functions run on first import), they are just in the same file.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';

const root = new URL('../', import.meta.url).pathname;

/**
 * A native addon (`require('./x.node')` in a bundled package, e.g. ssh2's optional crypto binding)
 * cannot go into the bundle: it is required at run time from the package as installed, found through
 * Node's resolution from the bundle (node_modules may be hoisted), so a package's try/catch around
 * it still sees the real binding.
 */
const nativeAddons = {
  name: 'native-addons',
  setup(b) {
    b.onResolve({ filter: /\.node$/ }, (args) => {
      const file = resolvePath(args.resolveDir, args.path);
      const at = file.lastIndexOf('/node_modules/');
      if (at < 0) return { errors: [{ text: `native addon outside node_modules: ${file}` }] };
      const [first, second] = file.slice(at + '/node_modules/'.length).split('/');
      const pkg = first.startsWith('@') ? `${first}/${second}` : first;
      const inside = file.slice(at + '/node_modules/'.length + pkg.length + 1);
      return { path: `${pkg}/${inside}`, namespace: 'native-addon' };
    });
    b.onLoad({ filter: /.*/, namespace: 'native-addon' }, (args) => {
      const [pkg, inside] = args.path.startsWith('@') ? [args.path.split('/').slice(0, 2).join('/'), args.path.split('/').slice(2).join('/')]
        : [args.path.split('/')[0], args.path.split('/').slice(1).join('/')];
      // Through a variable: a literal would make esbuild try to bundle the package.json.
      const contents = `const { dirname, join } = require('node:path');
const manifest = ${JSON.stringify(`${pkg}/package.json`)};
module.exports = require(join(dirname(require.resolve(manifest)), ${JSON.stringify(inside)}));`;
      return { contents, loader: 'js' };
    });
  },
};
const outdir = new URL('../dist/cli/', import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });
const { metafile } = await build({
  absWorkingDir: root,
  metafile: true,
  entryPoints: [new URL('../src/cli.ts', import.meta.url).pathname],
  outfile: `${outdir}cli.cjs`,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // graph's renderers run in a worker that loads them from node_modules (resvg is a native addon; the Graphviz
  // WebAssembly build is megabytes): never bundled.
  // ssh2's JavaScript is bundled (its ~40 files then compile from the code cache and need no resolving:
  // about a third of what loading it cost an exec); its optional native parts stay outside (below).
  external: ['better-sqlite3', 'cpu-features', 'pg', 'pino', '@slack/bolt', '@hpcc-js/wasm-graphviz', '@resvg/resvg-js', 'nunjucks', 'bullmq', 'ioredis', 'undici'],
  plugins: [nativeAddons],
  // import() of an external package becomes require() (Node 20.19 requires ES modules too, e.g. the
  // Graphviz build): the launcher's vm.Script has no module loader.
  supported: { 'dynamic-import': false },
  // The few import.meta.url uses (createRequire) point at the bundle.
  define: { 'import.meta.url': '__clabBotModuleUrl' },
  banner: { js: "var __clabBotModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  charset: 'ascii',
  logLevel: 'warning',
});

// esbuild escapes non-ASCII characters in code (charset ascii) but keeps comments as written: escape
// theirs too, so the bundle is pure ASCII and the launcher reads it as latin1, a one-byte string.
// Read as UTF-8, the 4 MB took ten times longer to decode and became a two-byte string.
const bundle = `${outdir}cli.cjs`;
const ascii = readFileSync(bundle, 'utf8').replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
writeFileSync(bundle, ascii);

// The project's own files in the bundle: the launcher stats just these to see whether the build is
// stale (an edited file, or a new one, which only counts once an included file imports it).
const sources = Object.keys(metafile.inputs).filter((f) => !f.startsWith('node_modules/') && !f.startsWith('native-addon:'));
writeFileSync(`${outdir}sources.json`, `${JSON.stringify(sources)}\n`);
