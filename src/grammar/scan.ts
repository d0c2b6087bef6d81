import { SELECTOR_FLAG_NAMES, flagsOf, type FlagDef, type ValueSpec } from './definitions.js';
import { close, didYouMean, fail, orList, show } from './failure.js';
import { LIMITS, NODE_NAME, VAR_KEY, VERBS, type RequestSelector, type Verb } from './request.js';
import { isQuoted, type Token } from './tokenize.js';
import type { CommandText, Words } from './words.js';

/**
 * The generic half of parsing a verb: flags (from the verb table) and positional words, then
 * typed, checked values and the selector. The verb-specific half is in parse.ts.
 */

export interface Scan {
  readonly verb: Verb;
  readonly flags: Map<string, string | true>;
  /** Every value of a repeatable flag, in order (its last one is also in `flags`). */
  readonly lists: Map<string, string[]>;
  readonly positionals: Token[];
  readonly host: Record<string, string | true>;
  command: (CommandText & { readonly afterDashDash: boolean }) | undefined;
  help: boolean;
}

/** `--x`, `--x=v`, `-h`: a word whose name part was typed unquoted. Numbers like `-5` are not flags. */
export function isFlagLike(token: Token): boolean {
  if (!/^--?[A-Za-z]/.test(token.value)) return false;
  const eq = token.value.indexOf('=');
  return (eq === -1 ? token.value.length : eq) <= token.plain;
}

function isDashDash(token: Token): boolean {
  return token.value === '--' && !isQuoted(token);
}

export type HostFlags = Readonly<Record<string, 'value' | 'switch'>>;

export function scanWords(words: Words, verb: Verb, hostFlags: HostFlags, host: Record<string, string | true>): Scan {
  const defs = new Map(flagsOf(verb).map((f) => [f.name, f]));
  const scan: Scan = { verb, flags: new Map(), lists: new Map(), positionals: [], host, command: undefined, help: false };
  let endOfOptions = false;
  for (let token = words.next(); token !== undefined; token = words.next()) {
    if (!endOfOptions && isDashDash(token)) {
      if (verb === 'exec') {
        scan.command = { ...words.rest(), afterDashDash: true };
        break;
      }
      endOfOptions = true;
      continue;
    }
    if (!endOfOptions && isFlagLike(token)) {
      readFlag(scan, defs, hostFlags, token, words);
      if (scan.help) return scan;
      continue;
    }
    // exec: the first word names the nodes unless selector flags did; the next word starts the command.
    if (verb === 'exec' && (scan.positionals.length > 0 || hasSelectorFlag(scan))) {
      scan.command = { ...words.restFrom(token), afterDashDash: false };
      break;
    }
    scan.positionals.push(token);
  }
  return scan;
}

/** `--name=value` → ['--name', 'value']; `--name` → ['--name', undefined]. */
function splitFlag(token: Token): [string, string | undefined] {
  const eq = token.value.indexOf('=');
  return eq === -1 ? [token.value, undefined] : [token.value.slice(0, eq), token.value.slice(eq + 1)];
}

/** The value of a flag: after `=`, or the next word (which must not be a flag), or true for a switch. */
function takeValue(name: string, spec: ValueSpec | 'value' | 'switch', inline: string | undefined, words: Words): string | true {
  if (spec === 'switch') {
    if (inline !== undefined) fail(`${name} takes no value`);
    return true;
  }
  if (inline !== undefined) return inline;
  if (spec !== 'value' && spec.type === 'choice' && spec.optional !== undefined) {
    // `--check` alone, or followed by a selector word or another flag: the default choice.
    const ahead = words.peek();
    if (ahead === undefined || isQuoted(ahead) || isFlagLike(ahead)) return spec.optional;
    const word = ahead.value.toLowerCase();
    if (spec.choices.includes(word)) return words.next()?.value ?? spec.optional;
    // `--check osfp`: a near miss is a typo of a choice, not a node name.
    const suggestions = close(word, spec.choices);
    if (suggestions.length > 0) fail(`${name} takes ${orList(spec.choices)} (or nothing); got ${show(ahead.value)}${didYouMean(suggestions)}`, suggestions);
    return spec.optional;
  }
  const next = words.next();
  if (next === undefined || isFlagLike(next) || isDashDash(next)) fail(`${name} needs a value${spec === 'value' ? '' : `: ${describeValue(spec)}`}`);
  return next.value;
}

/** A flag of the front end (hostFlags); `false` when `token` is not one. */
export function readHostFlag(host: Record<string, string | true>, hostFlags: HostFlags, token: Token, words: Words): boolean {
  const [name, inline] = splitFlag(token);
  const kind = hostFlags[name];
  if (kind === undefined) return false;
  if (name in host) fail(`${name} is given twice`);
  host[name] = takeValue(name, kind, inline, words);
  return true;
}

function readFlag(scan: Scan, defs: ReadonlyMap<string, FlagDef>, hostFlags: HostFlags, token: Token, words: Words): void {
  const [written, inline] = splitFlag(token);
  const name = written === '-h' ? '--help' : written;
  const def = defs.get(name);
  if (def === undefined) {
    if (!readHostFlag(scan.host, hostFlags, token, words)) unknownFlag(scan.verb, written, defs);
    return;
  }
  if (def.name === '--help') {
    scan.help = true;
    return;
  }
  if (def.repeatable) {
    const value = takeValue(name, def.value ?? 'switch', inline, words);
    if (typeof value === 'string') scan.lists.set(name, [...(scan.lists.get(name) ?? []), value]);
    scan.flags.set(name, value);
    return;
  }
  if (scan.flags.has(name)) fail(`${name} is given twice`);
  if (def.group !== undefined) {
    const rivals = flagsOf(scan.verb).filter((f) => f.group === def.group && f.name !== name && scan.flags.has(f.name));
    const rival = rivals[0];
    if (rival !== undefined) {
      if (def.group === 'names') fail(`${rival.name} and ${name} cannot be used together; list every node in --nodes A,B`);
      const members = flagsOf(scan.verb).filter((f) => f.group === def.group).map((f) => f.name);
      fail(`${rival.name} and ${name} cannot be used together; choose one of ${orList(members)}`);
    }
  }
  scan.flags.set(name, takeValue(name, def.value ?? 'switch', inline, words));
}

function unknownFlag(verb: Verb, written: string, defs: ReadonlyMap<string, FlagDef>): never {
  // Compare without the dashes (they would make every flag look close) and offer the real spelling:
  // `-format` and `--fromat` both get `--format`.
  const bare = written.replace(/^-+/, '');
  const known = [...defs.keys()];
  const suggestions = defs.has(`--${bare}`) ? [`--${bare}`] : close(bare, known.map((k) => k.slice(2))).map((k) => `--${k}`);
  if (suggestions.length === 0) {
    const owners = VERBS.filter((v) => v !== verb && flagsOf(v).some((f) => f.name === written));
    if (owners.length > 0) fail(`${verb} has no option ${written} (it is an option of ${orList(owners)})`);
  }
  fail(`unknown option ${written} for ${verb}${didYouMean(suggestions)}`, suggestions);
}

export function hasSelectorFlag(scan: Scan): boolean {
  for (const name of scan.flags.keys()) if (SELECTOR_FLAG_NAMES.has(name)) return true;
  return false;
}

function describeValue(spec: ValueSpec): string {
  switch (spec.type) {
    case 'choice':
      return orList(spec.choices);
    case 'int':
      return `${spec.placeholder}, a whole number from ${spec.min} to ${spec.max}`;
    case 'names':
    case 'word':
    case 'label':
    case 'text':
      return spec.placeholder;
    default:
      return spec satisfies never;
  }
}

// --- values ----------------------------------------------------------------------------------------

function flagDef(verb: Verb, name: string): FlagDef & { readonly value: ValueSpec } {
  const def = flagsOf(verb).find((f) => f.name === name);
  if (def?.value === undefined) throw new Error(`grammar table: ${verb} has no valued flag ${name}`);
  return def as FlagDef & { readonly value: ValueSpec };
}

export function intValue(raw: string, what: string, min: number, max: number): number {
  const trimmed = raw.trim();
  if (!/^\d{1,16}$/.test(trimmed)) fail(`${what} must be a whole number from ${min} to ${max}; got ${show(raw)}`);
  const n = Number(trimmed);
  if (n < min || n > max) fail(`${what} must be a whole number from ${min} to ${max}; got ${trimmed}`);
  return n;
}

export function choiceValue<T extends string>(raw: string, what: string, choices: readonly T[]): T {
  const lower = raw.trim().toLowerCase();
  const hit = choices.find((c) => c === lower);
  if (hit !== undefined) return hit;
  const suggestions = close(lower, choices);
  fail(`${what} must be ${orList(choices)}; got ${show(raw)}${didYouMean(suggestions)}`, suggestions);
}

function namesValue(raw: string, single: boolean, what: string): string[] {
  if (single && raw.includes(',')) fail(`${what} takes one node name; use --nodes ${raw} for several`);
  const names = raw.split(',').map((n) => n.trim());
  if (names.some((n) => n === '')) fail(`${what} has an empty node name in ${show(raw)}; separate names with single commas`);
  if (names.length > LIMITS.names) fail(`${what} names ${names.length} nodes; the limit is ${LIMITS.names} (use --lab, --kind or --label to select many)`);
  for (const n of names) {
    if (n.length > LIMITS.nameChars || !NODE_NAME.test(n)) {
      fail(`${show(n)} is not a node name: use letters, digits, -, _ and . (or lab/node)`);
    }
  }
  return [...new Set(names)];
}

function textValue(raw: string, name: string, maxChars: number): string {
  if (raw.trim() === '') fail(`${name} needs a non-empty value`);
  if (raw.length > maxChars) fail(`${name} is ${raw.length} characters long; the limit is ${maxChars}`);
  return raw;
}

function flagString(scan: Scan, name: string): string | undefined {
  const v = scan.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function intFlag(scan: Scan, name: string): number | undefined {
  const raw = flagString(scan, name);
  if (raw === undefined) return undefined;
  const spec = flagDef(scan.verb, name).value;
  if (spec.type !== 'int') throw new Error(`grammar table: ${name} is not a number flag`);
  return intValue(raw, name, spec.min, spec.max);
}

export function choiceFlag<T extends string>(scan: Scan, name: string, choices: readonly T[]): T | undefined {
  const raw = flagString(scan, name);
  return raw === undefined ? undefined : choiceValue(raw, name, choices);
}

export function textFlag(scan: Scan, name: string): string | undefined {
  const raw = flagString(scan, name);
  if (raw === undefined) return undefined;
  const spec = flagDef(scan.verb, name).value;
  return textValue(raw, name, spec.type === 'text' ? spec.maxChars : LIMITS.textChars);
}

/** `--var KEY=VALUE` pairs in order; a bad name or a missing `=` is refused with the form. */
export function varPairs(scan: Scan): { key: string; value: string }[] {
  const raws = scan.lists.get('--var') ?? [];
  if (raws.length > LIMITS.vars) fail(`--var is given ${raws.length} times; the limit is ${LIMITS.vars}`);
  const seen = new Set<string>();
  return raws.map((raw) => {
    const eq = raw.indexOf('=');
    const key = eq === -1 ? '' : raw.slice(0, eq).trim();
    if (eq === -1 || key === '') fail(`--var takes KEY=VALUE, e.g. --var asn=65001; got ${show(raw)}`);
    if (key.length > LIMITS.nameChars || !VAR_KEY.test(key)) {
      fail(`${show(key)} is not a --var name: letters, digits and _ (not starting with a digit), parts joined by dots (bgp.asn)`);
    }
    if (seen.has(key)) fail(`--var ${key} is given twice`);
    seen.add(key);
    const value = raw.slice(eq + 1);
    if (value.length > LIMITS.textChars) fail(`the value of --var ${key} is ${value.length} characters long; the limit is ${LIMITS.textChars}`);
    return { key, value };
  });
}

// --- selector ----------------------------------------------------------------------------------

/**
 * The selector from a leading positional word (names) or the selector flags, never both:
 * `exec r1 --kind srl show …` is refused with the way to write it.
 */
export function selectorOf(scan: Scan, names: Token | undefined): RequestSelector | undefined {
  const flagged = hasSelectorFlag(scan);
  if (names !== undefined && flagged) {
    const flags = [...scan.flags].filter(([n]) => SELECTOR_FLAG_NAMES.has(n));
    const written = flags.map(([n, v]) => (v === true ? n : `${n} ${v}`)).join(' ');
    fail(`${show(names.value)} names the nodes, so ${orList(flags.map(([n]) => n))} cannot be added; to combine them write --nodes ${names.value} ${written}`);
  }
  if (names !== undefined) return { names: namesValue(names.value, false, 'the node list') };
  if (!flagged) return undefined;
  const selector: {
    names?: string[];
    kinds?: [string];
    labels?: [{ key: string; value: string }];
    groups?: [string];
    labs?: [string];
    all?: true;
  } = {};
  const node = flagString(scan, '--node');
  const nodes = flagString(scan, '--nodes');
  if (node !== undefined) selector.names = namesValue(node, true, '--node');
  if (nodes !== undefined) selector.names = namesValue(nodes, false, '--nodes');
  const kind = wordFlag(scan, '--kind');
  if (kind !== undefined) selector.kinds = [kind];
  const label = flagString(scan, '--label');
  if (label !== undefined) selector.labels = [labelValue(label)];
  const group = wordFlag(scan, '--group');
  if (group !== undefined) selector.groups = [group];
  const lab = wordFlag(scan, '--lab');
  if (lab !== undefined) selector.labs = [lab];
  if (scan.flags.has('--all')) selector.all = true;
  return selector;
}

function wordFlag(scan: Scan, name: string): string | undefined {
  const raw = flagString(scan, name);
  if (raw === undefined) return undefined;
  const spec = flagDef(scan.verb, name).value;
  if (spec.type !== 'word') throw new Error(`grammar table: ${name} is not a word flag`);
  const value = spec.lowerCase ? raw.trim().toLowerCase() : raw.trim();
  if (value.length > LIMITS.nameChars || !spec.pattern.test(value)) {
    fail(`${show(raw)} is not a valid ${spec.what} for ${name}: use letters, digits, - and _`);
  }
  return value;
}

function labelValue(raw: string): { key: string; value: string } {
  const eq = raw.indexOf('=');
  const key = eq === -1 ? '' : raw.slice(0, eq).trim();
  const value = eq === -1 ? '' : raw.slice(eq + 1).trim();
  if (eq === -1 || key === '' || value === '') fail(`--label takes KEY=VALUE, e.g. --label role=spine; got ${show(raw)}`);
  if (key.length > LIMITS.nameChars || !/^[A-Za-z0-9][A-Za-z0-9_./-]*$/.test(key)) {
    fail(`${show(key)} is not a label key: use letters, digits, -, _, . and /`);
  }
  if (value.length > LIMITS.nameChars) fail(`the --label value is ${value.length} characters long; the limit is ${LIMITS.nameChars}`);
  return { key, value };
}
