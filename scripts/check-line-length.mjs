#!/usr/bin/env node
// Fails when a line of src/**/*.ts is longer than MAX characters. A line that is long only
// because of the text of a string, template or regular expression literal passes: a message or
// a pattern kept whole stays greppable, and splitting it would not make it easier to read. The
// code inside a template's ${...} counts.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const MAX = 160;
const root = join(import.meta.dirname, '..');
const QUOTED = [/'(?:[^'\\\n]|\\.)*'/g, /"(?:[^"\\\n]|\\.)*"/g, /(?<=^\s*)\/\^.*\/[dgimsuy]*(?=[,;)]?$)/g];
const TEMPLATE = /`(?:[^`\\]|\\.)*`/g;

/** The line with literal text left out: quoted strings and patterns become '', a template keeps its ${...}. */
function codeOf(line) {
  const templates = line.replace(TEMPLATE, (t) => `\`${(t.match(/\$\{[^}]*\}/g) ?? []).join('')}\``);
  return QUOTED.reduce((rest, literal) => rest.replace(literal, "''"), templates);
}

function* tsFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* tsFiles(path);
    else if (entry.name.endsWith('.ts')) yield path;
  }
}

const long = [];
for (const file of tsFiles(join(root, 'src'))) {
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.length <= MAX) return;
      if (codeOf(line).length > MAX) long.push(`${relative(root, file)}:${i + 1}: ${line.length} characters (at most ${MAX}; wrap it)`);
    });
}
if (long.length > 0) {
  console.error(long.join('\n'));
  process.exit(1);
}
