/**
 * The SR Linux configuration as the JSON that JSON-RPC returns: containers are objects, lists are
 * arrays of entries that carry their key leaf. Edits check element names against the schema; the
 * same module renders `info`, `info flat` and the CLI `diff` format.
 */
import { PathError, type PathSegment } from './paths.js';
import { childOptions, childSchema, OPEN_CHILD, ROOT, type SchemaNode } from './schema.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Obj = { [key: string]: Json };

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const clone = <T extends Json>(v: T): T => structuredClone(v);

function unknownElement(parent: SchemaNode, name: string, state: boolean): PathError {
  return new PathError(`Path not valid - unknown element '${name}'. Options are [${childOptions(parent, state).join(', ')}]`);
}

function child(parent: SchemaNode, name: string, state: boolean): SchemaNode {
  const s = childSchema(parent, name, state);
  if (s === undefined) throw unknownElement(parent, name, state);
  return s;
}

/** Key leaf of a list entry: the schema's, or for lists the schema does not know, the entry's first member. */
function keyOf(schema: SchemaNode, entry: Obj | undefined, hint?: string): string {
  if (schema.kind === 'list') return schema.key;
  return hint ?? Object.keys(entry ?? {})[0] ?? 'name';
}

function keyedSchema(schema: SchemaNode, keyName: string | undefined): SchemaNode {
  if (schema.kind === 'list' || keyName === undefined) return schema;
  return { kind: 'list', key: keyName, children: {}, open: true };
}

function findEntry(list: Json | undefined, key: string, value: string): Obj | undefined {
  if (!Array.isArray(list)) return undefined;
  return list.find((e): e is Obj => isObj(e) && String(e[key]) === value);
}

/** The value at `segments`: a scalar for a leaf, an object for a container or entry, `{}` when absent. */
export function getAt(tree: Obj, segments: readonly PathSegment[], state: boolean): Json {
  let schema: SchemaNode = ROOT;
  let node: Json | undefined = tree;
  for (const [i, seg] of segments.entries()) {
    schema = keyedSchema(child(schema, seg.name, state), Object.keys(seg.keys)[0]);
    const container: Obj = isObj(node) ? node : {};
    const value: Json | undefined = container[seg.name];
    const keyNames = Object.keys(seg.keys);
    if (keyNames.length === 0) {
      if (schema.kind === 'list') return { [seg.name]: clone(Array.isArray(value) ? value : []) };
      node = value;
    } else {
      const entries = (Array.isArray(value) ? value : []).filter(
        (e): e is Obj => isObj(e) && keyNames.every((k) => seg.keys[k] === '*' || String(e[k]) === seg.keys[k]),
      );
      if (Object.values(seg.keys).includes('*')) {
        if (i !== segments.length - 1) throw new PathError('Path not valid - a wildcard key is allowed only on the last element');
        return { [seg.name]: clone(entries) };
      }
      node = entries[0];
    }
  }
  // Every element was checked against the schema; data that is simply absent reads as {}.
  return clone(node ?? {});
}

export type EditAction = 'update' | 'replace' | 'delete';

/** Applies one edit in place. `value` is the JSON value (or inline string) for update/replace. */
export function edit(tree: Obj, action: EditAction, segments: readonly PathSegment[], value: Json | undefined, state = false): void {
  if (segments.length === 0) {
    if (action === 'delete') throw new PathError('Path not valid - the root cannot be deleted');
    if (!isObj(value)) throw new PathError('the value for path / must be a JSON object');
    if (action === 'replace') for (const k of Object.keys(tree)) delete tree[k];
    merge(tree, value, ROOT);
    return;
  }
  let schema: SchemaNode = ROOT;
  let container: Obj = tree;
  for (const [i, seg] of segments.entries()) {
    const last = i === segments.length - 1;
    const keyNames = Object.keys(seg.keys);
    const s = keyedSchema(child(schema, seg.name, state), keyNames[0]);
    if (s.kind === 'leaf' || s.kind === 'leaf-list') {
      if (!last) throw new PathError(`Path not valid - '${seg.name}' is a leaf and has no children`);
      if (action === 'delete') delete container[seg.name];
      else {
        if (value === undefined || isObj(value)) throw new PathError(`a value is required for leaf '${seg.name}'`);
        container[seg.name] = value;
      }
      return;
    }
    if (s.kind === 'list') {
      if (keyNames.length === 0) {
        if (!last) throw new PathError(`Path not valid - list '${seg.name}' needs its key [${keyOf(s, undefined)}=...]`);
        applyToList(container, seg.name, s, action, value);
        return;
      }
      const key = keyOf(s, undefined, keyNames[0]);
      const keyValue = seg.keys[key] ?? (seg.keys[keyNames[0] as string] as string);
      if (keyValue === '*') throw new PathError('Path not valid - wildcard keys are for get only');
      const list: Json[] = Array.isArray(container[seg.name]) ? (container[seg.name] as Json[]) : [];
      let entry = findEntry(list, key, keyValue);
      if (last && action === 'delete') {
        if (entry !== undefined) container[seg.name] = list.filter((e) => e !== entry);
        if ((container[seg.name] as Json[] | undefined)?.length === 0) delete container[seg.name];
        return;
      }
      if (entry === undefined) {
        if (action === 'delete') return;
        entry = { [key]: keyValue };
        list.push(entry);
        container[seg.name] = list;
      }
      if (last) {
        applyToContainer(entry, s, action, value, { [key]: keyValue });
        return;
      }
      container = entry;
      schema = s;
      continue;
    }
    // container
    if (last) {
      if (action === 'delete') {
        delete container[seg.name];
        return;
      }
      const target: Obj = isObj(container[seg.name]) ? (container[seg.name] as Obj) : {};
      container[seg.name] = target;
      applyToContainer(target, s, action, value, {}, state);
      return;
    }
    if (!isObj(container[seg.name])) {
      if (action === 'delete') return;
      container[seg.name] = {};
    }
    container = container[seg.name] as Obj;
    schema = s;
  }
}

function applyToContainer(target: Obj, schema: SchemaNode, action: EditAction, value: Json | undefined, keep: Obj, state = false): void {
  if (value !== undefined && !isObj(value)) throw new PathError('Path not valid - a container takes a JSON object value, not a scalar');
  if (action === 'replace') {
    for (const k of Object.keys(target)) delete target[k];
    Object.assign(target, keep);
  }
  if (value !== undefined) merge(target, value, schema, state);
}

function applyToList(container: Obj, name: string, schema: SchemaNode, action: EditAction, value: Json | undefined): void {
  if (action === 'delete') {
    delete container[name];
    return;
  }
  const entries = Array.isArray(value) ? value : isObj(value) && Array.isArray(value[name]) ? (value[name] as Json[]) : undefined;
  if (entries === undefined) throw new PathError(`Path not valid - list '${name}' takes an array of entries`);
  if (action === 'replace') delete container[name];
  merge(container, { [name]: entries }, { kind: 'container', children: { [name]: schema }, open: false });
}

/** Merges `src` into `target` (lists by key), checking names against the schema. */
export function merge(target: Obj, src: Obj, schema: SchemaNode, state = false): void {
  for (const [rawName, v] of Object.entries(src)) {
    const name = rawName.replace(/^(?:srl_nokia|openconfig|ietf)[a-z0-9_-]*:/, '');
    const s = child(schema, name, state);
    if (Array.isArray(v) && v.some(isObj)) {
      const listSchema = s.kind === 'list' ? s : keyedSchema(s === OPEN_CHILD ? s : s, Object.keys((v.find(isObj) as Obj) ?? {})[0]);
      const key = keyOf(listSchema, v.find(isObj) as Obj);
      const list: Json[] = Array.isArray(target[name]) ? (target[name] as Json[]) : [];
      for (const e of v) {
        if (!isObj(e) || e[key] === undefined) throw new PathError(`Path not valid - an entry of list '${name}' lacks its key '${key}'`);
        const existing = findEntry(list, key, String(e[key]));
        if (existing === undefined) {
          const created: Obj = { [key]: e[key] as Json };
          merge(created, e, listSchema, state);
          list.push(created);
        } else merge(existing, e, listSchema, state);
      }
      target[name] = list;
    } else if (isObj(v)) {
      const inner: Obj = isObj(target[name]) ? (target[name] as Obj) : {};
      merge(inner, v, s, state);
      target[name] = inner;
    } else {
      target[name] = clone(v);
    }
  }
}

function listKey(schemaParent: SchemaNode, name: string, entry: Obj): string {
  const s = childSchema(schemaParent, name, true) ?? OPEN_CHILD;
  return keyOf(s, entry);
}

function childSchemaOrOpen(parent: SchemaNode, name: string, entry?: Obj): SchemaNode {
  const s = childSchema(parent, name, true) ?? OPEN_CHILD;
  return entry === undefined ? s : keyedSchema(s, keyOf(s, entry));
}

const BARE = /^[A-Za-z0-9_./:@+-]+$/;

/** A value as the SR Linux CLI prints it: bare when safe, else double-quoted. */
export function cliValue(v: Json): string {
  if (Array.isArray(v)) return `[ ${v.map(cliValue).join(' ')} ]`;
  const s = String(v);
  return BARE.test(s) ? s : `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Hierarchical `info` text. */
export function renderInfo(obj: Obj, schema: SchemaNode = ROOT, depth = 0, skipKey?: string): string[] {
  const pad = '    '.repeat(depth);
  const lines: string[] = [];
  for (const [name, v] of Object.entries(obj)) {
    if (name === skipKey) continue;
    if (Array.isArray(v) && v.some(isObj)) {
      for (const e of v.filter(isObj)) {
        const key = listKey(schema, name, e);
        lines.push(`${pad}${name} ${cliValue(e[key] ?? '')} {`, ...renderInfo(e, childSchemaOrOpen(schema, name, e), depth + 1, key), `${pad}}`);
      }
    } else if (isObj(v)) {
      lines.push(`${pad}${name} {`, ...renderInfo(v, childSchemaOrOpen(schema, name), depth + 1), `${pad}}`);
    } else {
      lines.push(`${pad}${name} ${cliValue(v)}`);
    }
  }
  return lines;
}

/** `info flat`: one `set / ...` line per leaf (and per entry or container without leaves). */
export function renderFlat(obj: Obj, prefix = 'set /', schema: SchemaNode = ROOT, skipKey?: string): string[] {
  const lines: string[] = [];
  for (const [name, v] of Object.entries(obj)) {
    if (name === skipKey) continue;
    if (Array.isArray(v) && v.some(isObj)) {
      for (const e of v.filter(isObj)) {
        const key = listKey(schema, name, e);
        const here = `${prefix} ${name} ${cliValue(e[key] ?? '')}`;
        const inner = renderFlat(e, here, childSchemaOrOpen(schema, name, e), key);
        lines.push(...(inner.length > 0 ? inner : [here]));
      }
    } else if (isObj(v)) {
      const here = `${prefix} ${name}`;
      const inner = renderFlat(v, here, childSchemaOrOpen(schema, name));
      lines.push(...(inner.length > 0 ? inner : [here]));
    } else {
      lines.push(`${prefix} ${name} ${cliValue(v)}`);
    }
  }
  return lines;
}

/** The CLI `diff` between two trees: `+`/`-` lines inside their unchanged parents, as SR Linux prints it. */
export function diffTrees(before: Obj, after: Obj): string {
  const lines = diffObj(before, after, ROOT, 0, undefined);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function subtree(mark: '+' | '-', name: string, v: Json, schema: SchemaNode, depth: number): string[] {
  return renderInfo({ [name]: v }, schema, depth + 1).map((line) => `${mark}${line}`);
}

function diffObj(a: Obj, b: Obj, schema: SchemaNode, depth: number, skipKey: string | undefined): string[] {
  const out: string[] = [];
  const pad = '    '.repeat(depth + 1);
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  for (const name of names) {
    if (name === skipKey) continue;
    const x = a[name];
    const y = b[name];
    if (x === undefined && y !== undefined) {
      out.push(...subtree('+', name, y, schema, depth));
      continue;
    }
    if (y === undefined && x !== undefined) {
      out.push(...subtree('-', name, x, schema, depth));
      continue;
    }
    const listLike = (Array.isArray(x) && x.some(isObj)) || (Array.isArray(y) && y.some(isObj));
    if (listLike) {
      const xs = (Array.isArray(x) ? x : []).filter(isObj);
      const ys = (Array.isArray(y) ? y : []).filter(isObj);
      const key = listKey(schema, name, xs[0] ?? ys[0] ?? {});
      const es = childSchemaOrOpen(schema, name, xs[0] ?? ys[0]);
      const keys = [...new Set([...xs, ...ys].map((e) => String(e[key])))];
      for (const k of keys) {
        const ex = xs.find((e) => String(e[key]) === k);
        const ey = ys.find((e) => String(e[key]) === k);
        if (ex === undefined) out.push(...subtree('+', name, [ey as Obj], schema, depth));
        else if (ey === undefined) out.push(...subtree('-', name, [ex], schema, depth));
        else {
          const inner = diffObj(ex, ey, es, depth + 1, key);
          if (inner.length > 0) out.push(` ${pad}${name} ${cliValue(ex[key] ?? '')} {`, ...inner, ` ${pad}}`);
        }
      }
    } else if (isObj(x) && isObj(y)) {
      const inner = diffObj(x, y, childSchemaOrOpen(schema, name), depth + 1, undefined);
      if (inner.length > 0) out.push(` ${pad}${name} {`, ...inner, ` ${pad}}`);
    } else if (JSON.stringify(x) !== JSON.stringify(y)) {
      out.push(`-${pad}${name} ${cliValue(x as Json)}`, `+${pad}${name} ${cliValue(y as Json)}`);
    }
  }
  return out;
}
