#!/usr/bin/env node
// The `clab-bot` command: the bundled CLI (built by `npm ci` through the prepare script, or
// `npm run build`), unless a source file changed since that build: then the TypeScript sources
// through tsx (a devDependency), so an edited checkout never runs stale code.
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const bundle = fileURLToPath(new URL('../dist/cli/cli.cjs', import.meta.url));
const codeCache = `${bundle}.cache`;
const root = fileURLToPath(new URL('../', import.meta.url));

/**
 * The bundle's modification time, or undefined when it is missing or older than a source file it
 * was built from (dist/cli/sources.json, written by the build: a few hundred stats, about a
 * millisecond). A source removed since the build counts as a change.
 */
function freshBundleTime() {
  try {
    const built = statSync(bundle).mtimeMs;
    const sources = JSON.parse(readFileSync(`${root}dist/cli/sources.json`, 'utf8'));
    for (const file of sources) {
      const stat = statSync(root + file, { throwIfNoEntry: false });
      if (stat === undefined || stat.mtimeMs > built) return undefined;
    }
    return built;
  } catch {
    return undefined;
  }
}

/** Past this many first words recorded in the cache, a new one no longer rewrites it. */
const MAX_CACHED_WORDS = 40;

/**
 * The code cache written for this build: V8's data, and the first words of the commands (`exec`,
 * `nodes`, ...) whose compiled functions it holds. File layout: a 4-byte length, those words as
 * JSON, then V8's data, so one rename replaces both at once. Undefined when missing, older than the
 * bundle or unreadable.
 */
function readCodeCache(builtAt) {
  try {
    if (statSync(codeCache).mtimeMs < builtAt) return undefined;
    const file = readFileSync(codeCache);
    const length = file.readUInt32LE(0);
    const words = JSON.parse(file.toString('utf8', 4, 4 + length));
    return Array.isArray(words) ? { words, data: file.subarray(4 + length) } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs the bundle through vm.Script with V8's code cache (dist/cli/cli.cjs.cache), which spares
 * every later start most of the parsing and compiling. V8 compiles a function on its first call, and
 * the cache holds the functions compiled when it was written; so it is written again after the first
 * successful command of each kind (`nodes` compiles none of ssh2, `exec` does), and when there is none
 * or V8 refused it (another Node or other flags). One written before the bundle was rebuilt is
 * ignored. Not being able to write it (a read-only install) only costs speed.
 */
async function runBundle(builtAt, argv) {
  // Pure ASCII (the build escapes the rest), so latin1 reads it exactly and much faster than UTF-8.
  const source = readFileSync(bundle, 'latin1').replace(/^#!.*/, '');
  const cache = readCodeCache(builtAt);
  // The CommonJS wrapper on the first line, so line numbers in stack traces stay the bundle's.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundle,
    cachedData: cache?.data,
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  const code = await module.exports.main(argv);
  const usable = cache !== undefined && script.cachedDataRejected !== true;
  const words = usable ? cache.words : [];
  const word = argv[0] ?? '';
  // A failed command may have stopped early (a typo): it compiled too little to stand for its kind.
  const learn = code === 0 && !words.includes(word) && words.length < MAX_CACHED_WORDS;
  if (!usable || learn) {
    const temp = `${codeCache}.${process.pid}`;
    try {
      const header = Buffer.from(JSON.stringify(learn ? [...words, word] : words));
      const length = Buffer.alloc(4);
      length.writeUInt32LE(header.length);
      writeFileSync(temp, Buffer.concat([length, header, script.createCachedData()]));
      renameSync(temp, codeCache);
    } catch {
      // A read-only install: every start compiles.
    }
  }
  return code;
}

const builtAt = freshBundleTime();
if (builtAt !== undefined) {
  process.exitCode = await runBundle(builtAt, process.argv.slice(2));
} else {
  if (statSync(bundle, { throwIfNoEntry: false })) process.stderr.write('clab-bot: sources changed since the last build; running them through tsx (npm run build to start faster)\n');
  const { register } = await import('tsx/esm/api');
  register();
  const cli = await import(new URL('./cli.ts', import.meta.url).href);
  process.exitCode = await cli.main(process.argv.slice(2));
}
