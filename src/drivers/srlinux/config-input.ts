/**
 * Configuration input for SR Linux → JSON-RPC set/validate/diff commands. Three forms:
 * flat CLI lines (`set / interface ethernet-1/1 description "x"`, `delete / ...`, or `info flat`
 * output), JSON path + value (`{"path": ..., "value": ...}`, a list of them, or {"commands": [...]}),
 * or a whole configuration as JSON (no `path`). Pure: throws InputError for input it cannot read.
 */
import type { ConfigMethod } from '../contract.js';
import { listKey } from './list-keys.js';

export interface SrlCommand {
  readonly action: 'update' | 'replace' | 'delete';
  readonly path: string;
  readonly value?: unknown;
}

export class InputError extends Error {}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Words of one CLI line: blanks separate, "double quotes" (with \" and \\) keep a word whole. */
export function cliWords(line: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const m of line.matchAll(re)) words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] as string));
  return words;
}

export function isJsonInput(text: string): boolean {
  const t = text.trimStart();
  return t.startsWith('{') || t.startsWith('[');
}

/** The commands for `text` under `method` (merge/set: update and delete; override: replace `/`). */
export function commandsFor(text: string, method: ConfigMethod): SrlCommand[] {
  if (method === 'replace') throw new InputError("method replace: SR Linux replaces what a path holds; use merge, set, or override (the whole configuration)");
  const commands = isJsonInput(text) ? jsonCommands(text, method) : flatCommands(text);
  if (commands.length === 0) throw new InputError('the configuration holds no commands');
  if (method !== 'override') return commands;
  if (commands.length === 1 && commands[0]?.path === '/' && commands[0].action === 'replace') return commands;
  // Override: the whole configuration is what the input says, so build it and replace `/`.
  const tree: { [k: string]: Json } = {};
  for (const c of commands) {
    if (c.action === 'delete') continue;
    insert(tree, c.path, c.value as Json);
  }
  return [{ action: 'replace', path: '/', value: tree }];
}

function jsonCommands(text: string, method: ConfigMethod): SrlCommand[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new InputError(`the configuration is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const entries: unknown[] = Array.isArray(parsed)
    ? parsed
    : typeof parsed === 'object' && parsed !== null && Array.isArray((parsed as { commands?: unknown }).commands)
      ? ((parsed as { commands: unknown[] }).commands)
      : typeof parsed === 'object' && parsed !== null && typeof (parsed as { path?: unknown }).path === 'string'
        ? [parsed]
        : [{ path: '/', value: parsed }];
  return entries.map((e, i) => {
    if (typeof e !== 'object' || e === null || typeof (e as { path?: unknown }).path !== 'string') {
      throw new InputError(`JSON command ${i + 1} needs a "path" string`);
    }
    const { path, value, action } = e as { path: string; value?: unknown; action?: unknown };
    if (!path.startsWith('/')) throw new InputError(`JSON command ${i + 1}: the path must start with / (got ${path})`);
    const act = action === undefined ? (method === 'override' && path === '/' ? 'replace' : 'update') : action;
    if (act !== 'update' && act !== 'replace' && act !== 'delete') throw new InputError(`JSON command ${i + 1}: action must be update, replace or delete`);
    if (act !== 'delete' && value === undefined && !/:[^\]/]*$/.test(path)) throw new InputError(`JSON command ${i + 1}: ${act} needs a "value"`);
    return value === undefined ? { action: act, path } : { action: act, path, value };
  });
}

/** `set / ...` and `delete / ...` lines (and `info flat` output: header and comment lines are skipped). */
export function flatCommands(text: string): SrlCommand[] {
  const out: SrlCommand[] = [];
  for (const [n, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('--{') || line.startsWith('!')) continue;
    const words = cliWords(line);
    let verb = words[0];
    let rest = words.slice(1);
    if (verb === '/') {
      verb = 'set';
      rest = words;
    }
    if (verb !== 'set' && verb !== 'delete') throw new InputError(`line ${n + 1}: expected "set / ..." or "delete / ...", got: ${line}`);
    if (rest[0] !== '/') throw new InputError(`line ${n + 1}: paths must be absolute ("${verb} / ..."): ${line}`);
    const { path, value } = wordsToPath(rest.slice(1), verb === 'delete', n + 1);
    out.push(verb === 'delete' ? { action: 'delete', path } : { action: 'update', path, value });
  }
  return out;
}

function escapeKey(v: string): string {
  return v.replace(/[\]\\]/g, (c) => `\\${c}`);
}

/**
 * CLI words → JSON-RPC path (+ value). A list's name is followed by its key value; the word before
 * the last is a leaf and the last its value; a line that ends on a list entry or container creates it.
 */
export function wordsToPath(words: string[], isDelete: boolean, line: number): { path: string; value: Json } {
  if (words.length === 0) throw new InputError(`line ${line}: nothing after /`);
  const parts: string[] = [];
  const names: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(word)) throw new InputError(`line ${line}: '${word}' is not an element name`);
    const key = listKey(names, word);
    names.push(word);
    if (key !== undefined && i + 1 < words.length) {
      parts.push(`${word}[${key}=${escapeKey(words[i + 1] as string)}]`);
      i++;
      continue;
    }
    if (!isDelete && i === words.length - 2) {
      parts.push(word);
      return { path: `/${parts.join('/')}`, value: leafValue(words.slice(i + 1)) };
    }
    parts.push(word);
  }
  return { path: `/${parts.join('/')}`, value: {} };
}

function leafValue(words: string[]): Json {
  return words[0] as string;
}

/** Puts `value` at `path` in a configuration tree (lists as arrays of entries carrying their key). */
function insert(tree: { [k: string]: Json }, path: string, value: Json): void {
  const segments = splitPath(path);
  let node: { [k: string]: Json } = tree;
  for (const [i, seg] of segments.entries()) {
    const last = i === segments.length - 1;
    const m = /^([^[]+)((?:\[[^=\]]+=(?:[^\]\\]|\\.)*\])*)$/.exec(seg);
    if (m === null) throw new InputError(`cannot read path element ${seg}`);
    const name = m[1] as string;
    const keys = [...(m[2] ?? '').matchAll(/\[([^=\]]+)=((?:[^\]\\]|\\.)*)\]/g)].map(
      (k) => [k[1] as string, (k[2] as string).replace(/\\(.)/g, '$1')] as const,
    );
    if (keys.length === 0) {
      if (last && (typeof value !== 'object' || value === null || Array.isArray(value))) {
        node[name] = value;
        return;
      }
      if (typeof node[name] !== 'object' || node[name] === null || Array.isArray(node[name])) node[name] = {};
      node = node[name] as { [k: string]: Json };
      if (last) Object.assign(node, value);
      continue;
    }
    const list = Array.isArray(node[name]) ? (node[name] as Json[]) : [];
    node[name] = list;
    let entry = list.find(
      (e) => typeof e === 'object' && e !== null && !Array.isArray(e) && keys.every(([k, v]) => String((e as Record<string, Json>)[k]) === v),
    ) as { [k: string]: Json } | undefined;
    if (entry === undefined) {
      entry = Object.fromEntries(keys);
      list.push(entry);
    }
    node = entry;
    if (last && typeof value === 'object' && value !== null && !Array.isArray(value)) Object.assign(node, value);
  }
}

/** Splits a JSON-RPC path on `/` outside brackets; a trailing `:value` stays on the last element. */
export function splitPath(path: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let depth = 0;
  for (const ch of path.replace(/^\//, '')) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === '/' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur !== '') parts.push(cur);
  return parts;
}
