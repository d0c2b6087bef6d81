import { readdirSync, type Dirent } from 'node:fs';
import { join, sep } from 'node:path';
import { BACKUP_ACTIONS, CHANGE_ACTIONS, HELP_TOPICS, VERBS, VERB_DEFS, flagsOf, type FlagDef, type Verb } from '../../grammar/index.js';
import { SELECTOR_FLAG_NAMES } from '../../grammar/definitions.js';
import { lenientWords } from '../../grammar/tokenize.js';
import { namesOfKind } from '../../inventory/kinds.js';
import type { LabNode } from '../../inventory/types.js';
import { nodeKey } from '../../model/node-ref.js';

/** Words the console understands besides the grammar's verbs. */
export const CONSOLE_WORDS = ['clear', 'exit', 'quit'] as const;

export const OUTPUT_CHOICES = ['text', 'table', 'json'] as const;

/** The console's own flag on any line (help lists it, so Tab offers it too). */
export const OUTPUT_FLAG: FlagDef = { name: '--output', value: { type: 'choice', choices: OUTPUT_CHOICES }, summary: 'how the result is shown' };

/** What completion may offer, read fresh from the inventory at every Tab. */
export interface CompletionSource {
  nodes(): readonly LabNode[];
}

/** The words after `backup` that name an action (saving has none). */
const BACKUP_WORDS: readonly string[] = BACKUP_ACTIONS.filter((a) => a !== 'save');

/** readline's completer result: candidates, and the part of the line they replace. */
export type Completion = [string[], string];

/** How many directory entries a `--file` completion reads at most (a huge lab dir stays quick). */
const MAX_DIR_ENTRIES = 500;

/**
 * Tab completion for a console line (the text before the cursor): verbs, then the verb's flags,
 * node names where a selector goes, and flag values (kinds, labs, groups, labels, choices, lab
 * files). After the first word of an exec command nothing is offered: that text is the device's.
 */
export function completeLine(line: string, source: CompletionSource): Completion {
  const current = /(?:^|\s)(\S*)$/.exec(line)?.[1] ?? '';
  const before = line.slice(0, line.length - current.length);
  const words = lenientWords(before).map((t) => t.value);
  if (words[0] === 'clab-bot' || words[0] === '/clab') words.shift();

  const first = words[0];
  if (first === undefined) return offer([...VERBS, ...CONSOLE_WORDS], current);
  if (!(VERBS as readonly string[]).includes(first)) return [[], current];
  const verb = first as Verb;
  const args = words.slice(1);
  // A verb's own --output (graph) replaces the console's.
  const own = flagsOf(verb);
  const flags = own.some((f) => f.name === OUTPUT_FLAG.name) ? [...own] : [...own, OUTPUT_FLAG];

  // `--flag=val`: complete the value, keeping the `--flag=` part.
  const eq = /^(--[a-z-]+)=(.*)$/.exec(current);
  if (eq) {
    const flag = flags.find((f) => f.name === eq[1]);
    if (!flag?.value) return [[], current];
    const [values] = valuesFor(flag, eq[2] ?? '', source);
    return [values.map((v) => `${eq[1]}=${v}`), current];
  }

  // `backup list|show|diff|export` : the action word comes before the selector, so it is not a node name.
  const backupAction = verb === 'backup' && args[0] !== undefined && BACKUP_WORDS.includes(args[0]);
  const state = walk(verb, backupAction ? args.slice(1) : args, flags);
  if (state.pendingFlag) return valuesFor(state.pendingFlag, current, source);
  if (state.commandStarted) return [[], current];
  if (current.startsWith('-')) {
    return offer(
      flags.filter((f) => f.repeatable || !state.usedFlags.has(f.name)).map((f) => f.name),
      current,
    );
  }
  const def = VERB_DEFS[verb];
  switch (verb) {
    case 'help':
      return state.positionals === 0 ? offer(HELP_TOPICS, current) : [[], current];
    case 'change':
      return state.positionals === 1 ? offer(CHANGE_ACTIONS, current) : [[], current];
    case 'backup':
      if (!backupAction && state.positionals === 0 && !state.hasSelector) {
        const [names] = nameList(current, source);
        return [[...offer(BACKUP_WORDS, current)[0], ...names], current];
      }
      return def.selector !== 'none' && !state.hasSelector ? nameList(current, source) : [[], current];
    case 'graph':
      // `graph dc1` names a lab; node names work as for any selector.
      if (!state.hasSelector) return [[...offer(unique(source.nodes().map((n) => n.lab)), current)[0], ...nameList(current, source)[0]], current];
      return [[], current];
    default:
      if (def.selector !== 'none' && !state.hasSelector) return nameList(current, source);
      return [[], current];
  }
}

interface WalkState {
  /** A flag whose value is being typed. */
  readonly pendingFlag: FlagDef | undefined;
  readonly usedFlags: ReadonlySet<string>;
  readonly hasSelector: boolean;
  /** exec: the device command has begun, so its words are not ours. */
  readonly commandStarted: boolean;
  readonly positionals: number;
}

/** Reads the finished words after the verb: which flags were given, whether a selector is there. */
function walk(verb: Verb, args: readonly string[], flags: readonly FlagDef[]): WalkState {
  const usedFlags = new Set<string>();
  let hasSelector = false;
  let positionals = 0;
  let commandStarted = false;
  let pendingFlag: FlagDef | undefined;
  for (const word of args) {
    if (pendingFlag) {
      const spec = pendingFlag.value;
      pendingFlag = undefined;
      // `--check` may stand alone: a word that is not one of its choices is the next argument.
      const optional = spec?.type === 'choice' && spec.optional !== undefined && !spec.choices.includes(word);
      if (!optional) continue;
    }
    if (word === '--') {
      commandStarted = verb === 'exec';
      continue;
    }
    const flag = word.startsWith('--') ? flags.find((f) => f.name === word.split('=')[0]) : undefined;
    if (flag) {
      usedFlags.add(flag.name);
      if (isSelectorFlag(flag)) hasSelector = true;
      if (flag.value && !word.includes('=')) pendingFlag = flag;
      continue;
    }
    positionals += 1;
    const def = VERB_DEFS[verb];
    if (def.selector !== 'none' && !hasSelector) hasSelector = true;
    else if (verb === 'exec') commandStarted = true;
  }
  return { pendingFlag, usedFlags, hasSelector, commandStarted, positionals };
}

/** Labels a person wrote in the topology, not containerlab's own bookkeeping. */
function userLabel(key: string): boolean {
  return !(key.startsWith('clab-') || key === 'containerlab') || key === 'clab-bot.port';
}

function isSelectorFlag(flag: FlagDef): boolean {
  return SELECTOR_FLAG_NAMES.has(flag.name);
}

function valuesFor(flag: FlagDef, current: string, source: CompletionSource): Completion {
  const spec = flag.value;
  if (!spec) return [[], current];
  const nodes = source.nodes();
  switch (spec.type) {
    case 'choice':
      return offer(spec.choices, current);
    case 'names':
      return spec.list ? nameList(current, source) : offer(nodeNames(nodes), current);
    case 'label':
      return offer(unique(nodes.flatMap((n) => Object.entries(n.labels).filter(([k]) => userLabel(k)).map(([k, v]) => `${k}=${v}`))), current);
    case 'word':
      // Only kinds the labs hold (with their aliases and short forms): the kinds table has ~130.
      if (flag.name === '--kind') return offer(unique(nodes.flatMap((n) => [n.kind, ...namesOfKind(n.kind)])), current);
      if (flag.name === '--lab') return offer(unique(nodes.map((n) => n.lab)), current);
      if (flag.name === '--group') return offer(unique(nodes.flatMap((n) => (n.group === undefined ? [] : [n.group]))), current);
      return [[], current];
    case 'text':
      return flag.name === '--file' || flag.name === '--template' ? labFiles(current, nodes) : [[], current];
    case 'int':
      return [[], current];
    default:
      return spec satisfies never;
  }
}

/** Node names, and `a,b,c` lists: only the part after the last comma is completed. */
function nameList(current: string, source: CompletionSource): Completion {
  const cut = current.lastIndexOf(',') + 1;
  const head = current.slice(0, cut);
  const taken = new Set(head.split(',').filter(Boolean));
  const names = nodeNames(source.nodes()).filter((n) => !taken.has(n));
  const [matches] = offer(names, current.slice(cut));
  return [matches.map((m) => head + m), current];
}

/** Short names; `lab/name` as well when a short name exists in more than one lab. */
function nodeNames(nodes: readonly LabNode[]): string[] {
  const labsOf = new Map<string, Set<string>>();
  for (const n of nodes) labsOf.set(n.name, (labsOf.get(n.name) ?? new Set()).add(n.lab));
  const names = nodes.map((n) => n.name);
  for (const n of nodes) if ((labsOf.get(n.name)?.size ?? 0) > 1) names.push(nodeKey(n));
  return unique(names);
}

/** Files under the lab directories, relative to them, one directory level at a time. */
function labFiles(current: string, nodes: readonly LabNode[]): Completion {
  const slash = current.lastIndexOf('/');
  const dirPart = slash === -1 ? '' : current.slice(0, slash + 1);
  if (dirPart.startsWith('/') || dirPart.split('/').includes('..')) return [[], current];
  const found: string[] = [];
  for (const labDir of unique(nodes.map((n) => n.labDir))) {
    let entries: Dirent[];
    try {
      entries = readdirSync(join(labDir, ...dirPart.split('/').filter(Boolean)), { withFileTypes: true }).slice(0, MAX_DIR_ENTRIES);
    } catch {
      continue; // A missing directory simply has nothing to offer.
    }
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name.startsWith('clab-')) continue;
      found.push(`${dirPart}${e.name}${e.isDirectory() ? '/' : ''}`);
    }
  }
  const matches = unique(found).filter((f) => f.startsWith(current)).sort();
  // A directory is not a finished word: no trailing space, so the next Tab goes inside it.
  return [matches.map((m) => (m.endsWith('/') || m.endsWith(sep) ? m : `${m} `)), current];
}

/** Candidates starting with `current`, each followed by a space (a finished word). */
function offer(candidates: readonly string[], current: string): Completion {
  const matches = unique(candidates).filter((c) => c.startsWith(current));
  return [matches.map((m) => `${m} `), current];
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}
