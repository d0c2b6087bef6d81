// Bundles the CLI into dist/cli/cli.cjs (run by `npm ci` through the prepare script, and by `npm run
// build`). One-shot verbs start in a fraction of the time the unbundled modules take: one file
// instead of ~1000 small ones (kysely and zod alone are hundreds). Packages with worker-thread
// transports, large optional parts or their own lazy loading stay external (node_modules); native
// addons are loaded from where npm installed them (installedParts).
//
// CommonJS rather than ESM so the launcher can compile it through vm.Script with V8's code cache
// (Node 20 offers no code cache for ES modules); internal dynamic imports stay lazy (esbuild wraps
// those modules in functions run on first import), they are just in the same file.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';

const root = new URL('../', import.meta.url).pathname;

/** `pkg/inside/path` for a file under node_modules: the package's name and the path inside it. */
function packagePath(file) {
  const at = file.lastIndexOf('/node_modules/');
  if (at < 0) return undefined;
  const rest = file.slice(at + '/node_modules/'.length).split('/');
  const nameParts = rest[0].startsWith('@') ? 2 : 1;
  return { pkg: rest.slice(0, nameParts).join('/'), inside: rest.slice(nameParts).join('/') };
}

/** Code that finds `pkg`'s installed directory at run time, through Node's resolution from the bundle. */
const installedDir = (pkg) =>
  // Through a variable: a literal would make esbuild try to bundle the package.json.
  `require('node:path').dirname(require.resolve((() => ${JSON.stringify(`${pkg}/package.json`)})()))`;

/**
 * What a bundled package loads from its own installation at run time rather than from the bundle:
 * - a native addon (`require('./x.node')`, e.g. ssh2's optional crypto binding), so the package's
 *   try/catch around it still finds the real binding;
 * - a native package it requires (cpu-features, from ssh2), resolved from the requiring package
 *   (npm may nest it there instead of hoisting it);
 * - better-sqlite3's addon, which it finds through `bindings` from the caller's file name (the bundle
 *   would point it at this project): given better-sqlite3's own directory as the root instead.
 */
const installedParts = {
  name: 'installed-parts',
  setup(b) {
    b.onResolve({ filter: /\.node$/ }, (args) => {
      const at = packagePath(resolvePath(args.resolveDir, args.path));
      if (at === undefined) return { errors: [{ text: `native addon outside node_modules: ${args.path}` }] };
      return { path: `${at.pkg}|${at.inside}`, namespace: 'native-addon' };
    });
    b.onLoad({ filter: /.*/, namespace: 'native-addon' }, (args) => {
      const [pkg, inside] = args.path.split('|');
      return { contents: `module.exports = require(require('node:path').join(${installedDir(pkg)}, ${JSON.stringify(inside)}));`, loader: 'js' };
    });
    b.onResolve({ filter: /^cpu-features$/ }, (args) => {
      const owner = packagePath(args.importer);
      if (owner === undefined) return { errors: [{ text: `cpu-features required from outside node_modules: ${args.importer}` }] };
      return { path: `${owner.pkg}|${args.path}`, namespace: 'installed-package' };
    });
    b.onLoad({ filter: /.*/, namespace: 'installed-package' }, (args) => {
      const [owner, pkg] = args.path.split('|');
      const from = `require('node:path').join(${installedDir(owner)}, 'package.json')`;
      return { contents: `module.exports = require('node:module').createRequire(${from})(${JSON.stringify(pkg)});`, loader: 'js' };
    });
    b.onLoad({ filter: /\/node_modules\/better-sqlite3\/lib\/database\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const call = "require('bindings')('better_sqlite3.node')";
      if (!text.includes(call)) return { errors: [{ text: `better-sqlite3 no longer loads its addon with ${call}: update scripts/bundle-cli.mjs` }] };
      const root = installedDir('better-sqlite3');
      const bindings = `require('node:module').createRequire(require('node:path').join(${root}, 'package.json'))('bindings')`;
      return { contents: text.replace(call, `${bindings}({ bindings: 'better_sqlite3.node', module_root: ${root} })`), loader: 'js' };
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
  // ssh2's and better-sqlite3's JavaScript is bundled (their ~60 files then compile from the code cache
  // and need no resolving); their native parts stay where npm installed them (installedParts).
  external: ['pg', 'pino', '@slack/bolt', '@hpcc-js/wasm-graphviz', '@resvg/resvg-js', 'nunjucks', 'bullmq', 'ioredis', 'undici'],
  plugins: [installedParts],
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
const sources = Object.keys(metafile.inputs).filter((f) => !f.startsWith('node_modules/') && !f.includes(':'));
writeFileSync(`${outdir}sources.json`, `${JSON.stringify(sources)}\n`);
