/**
 * Junos configuration as a tree: parse curly-brace text and `set`/`delete` commands, render
 * text and set commands, merge/override/replace like `load`, and diff like `show | compare`.
 * Pure: no IO, no clock. The hierarchy rules come from config-schema.ts.
 */
import { ClabBotError } from '../../errors.js';
import {
  CONTAINERS,
  KEYED,
  KEYED_EXCEPT,
  KEYED_ONLY_UNDER,
  LEAF_LIST,
  MULTI_KEYED,
  NAMED_CHILDREN,
  NAMED_EXCEPT,
  TOP_LEVEL,
  TOP_LEVEL_ORDER,
  UNIT_DEFAULT_CONTEXTS,
  VALUE_LISTS,
  isValueList,
} from './config-schema.js';

export interface ConfigNode {
  /** The words naming this statement in its parent: ['system'], ['unit', '0'], ['host-name']. */
  words: string[];
  /** 'container' holds children (none: a flag such as `ssh;`); 'leaf' holds values (`host-name r1;`). */
  kind: 'container' | 'leaf';
  values: string[];
  children: ConfigNode[];
  inactive: boolean;
  /** Load-time tag (`replace:` / `delete:`, or the XML attributes); never present in a stored tree. */
  tag?: 'replace' | 'delete';
}

/** One problem found while loading, shaped like a Junos rpc-error. */
export interface ConfigIssue {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly badElement?: string;
  /** Hierarchy words for `[edit …]`. */
  readonly path?: readonly string[];
  readonly line?: number;
}

/** The configuration text or commands were rejected; `issues` are the device-style errors. */
export class ConfigSyntaxError extends ClabBotError {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super('sim_config_syntax', `configuration rejected: ${issues.map((i) => i.message + (i.badElement ? ` (${i.badElement})` : '')).join('; ')}`);
  }
}

export type LoadMethod = 'merge' | 'replace' | 'override' | 'update';

// ---------------------------------------------------------------------------------------------
// nodes

export function emptyConfig(): ConfigNode {
  return { words: [], kind: 'container', values: [], children: [], inactive: false };
}

function container(words: string[]): ConfigNode {
  return { words, kind: 'container', values: [], children: [], inactive: false };
}

function leaf(words: string[], values: string[]): ConfigNode {
  return { words, kind: 'leaf', values, children: [], inactive: false };
}

export function nodeKey(node: ConfigNode): string {
  return node.words.join(' ');
}

export function findChild(parent: ConfigNode, key: string): ConfigNode | undefined {
  return parent.children.find((c) => nodeKey(c) === key);
}

export function cloneConfig(node: ConfigNode): ConfigNode {
  const copy: ConfigNode = {
    words: [...node.words],
    kind: node.kind,
    values: [...node.values],
    children: node.children.map(cloneConfig),
    inactive: node.inactive,
  };
  if (node.tag !== undefined) copy.tag = node.tag;
  return copy;
}

export function configEquals(a: ConfigNode, b: ConfigNode): boolean {
  return diffConfig(a, b) === '';
}

/** Inserts or replaces a child; top-level hierarchies keep Junos display order. */
function putChild(parent: ConfigNode, node: ConfigNode): void {
  const key = nodeKey(node);
  const i = parent.children.findIndex((c) => nodeKey(c) === key);
  if (i >= 0) parent.children[i] = node;
  else parent.children.push(node);
}

function removeChild(parent: ConfigNode, key: string): boolean {
  const i = parent.children.findIndex((c) => nodeKey(c) === key);
  if (i < 0) return false;
  parent.children.splice(i, 1);
  return true;
}

/** Children in display order: the root follows TOP_LEVEL_ORDER, every other level keeps insertion order. */
function ordered(node: ConfigNode): ConfigNode[] {
  if (node.words.length > 0) return node.children;
  const rank = (n: ConfigNode): number => {
    const i = TOP_LEVEL_ORDER.indexOf(n.words[0] ?? '');
    return i < 0 ? TOP_LEVEL_ORDER.length : i;
  };
  return [...node.children].sort((a, b) => rank(a) - rank(b));
}

// ---------------------------------------------------------------------------------------------
// splitting statements into hierarchy levels

type Step = { kind: 'container'; words: string[] } | { kind: 'leaf'; words: string[]; values: string[] };

function isKeyed(word: string, next: string | undefined, parentHead: string | undefined): boolean {
  if (!KEYED.has(word) || next === undefined) return false;
  if (KEYED_EXCEPT.get(word)?.has(next)) return false;
  const only = KEYED_ONLY_UNDER.get(word);
  return only === undefined || (parentHead !== undefined && only.has(parentHead));
}

function isNamedPosition(parent: readonly string[]): boolean {
  const head = parent[0];
  if (head === undefined) return false;
  if (VALUE_LISTS.get(head) === 'any') return parent.length === 1;
  if (!NAMED_CHILDREN.has(head)) return false;
  return parent.length === 1 || KEYED.has(head);
}

/**
 * The next hierarchy step of a statement starting at words[i]. `block`: the statement ends in a
 * block (text `{ … }`, or a path for `edit`/`show`), so nothing in it is a leaf.
 */
function nextStep(words: readonly string[], i: number, parent: readonly string[], block: boolean): { step: Step; used: number } {
  const w = words[i] as string;
  const next = words[i + 1];
  const rest = words.length - i;
  if (isNamedPosition(parent) && !NAMED_EXCEPT.has(w)) return { step: { kind: 'container', words: [w] }, used: 1 };
  if (isValueList(w, parent[0])) return { step: { kind: 'container', words: [w] }, used: 1 };
  const multi = MULTI_KEYED.get(w);
  if (multi !== undefined && rest >= 4 && words[i + 2] === multi.words[1]) {
    return { step: { kind: 'container', words: words.slice(i, i + 4) }, used: 4 };
  }
  if (isKeyed(w, next, parent[0])) return { step: { kind: 'container', words: [w, next as string] }, used: 2 };
  if (rest === 1) return { step: { kind: 'container', words: [w] }, used: 1 };
  if (rest === 2 && !block) {
    if (CONTAINERS.has(w)) return { step: { kind: 'container', words: [w] }, used: 1 };
    return { step: { kind: 'leaf', words: [w], values: [next as string] }, used: 2 };
  }
  if (LEAF_LIST.has(w) || (block && rest === 2)) {
    return { step: { kind: 'container', words: [w, next as string] }, used: 2 };
  }
  return { step: { kind: 'container', words: [w] }, used: 1 };
}

/** Junos spellings: `area 0` is `area 0.0.0.0`; `interface ge-0/0/0` under OSPF is unit 0. */
function normalizeWords(words: readonly string[], context: readonly string[]): string[] {
  const out: string[] = [];
  const seen = [...context];
  for (const w of words) {
    const prev = out.length > 0 ? out[out.length - 1] : context[context.length - 1];
    let v = w;
    if (prev === 'area' && /^\d+$/.test(w)) {
      const n = Number(w);
      v = [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
    } else if (
      prev === 'interface' &&
      seen.some((s) => UNIT_DEFAULT_CONTEXTS.has(s)) &&
      !w.includes('.') &&
      w !== 'all' &&
      /^[a-z]+[-\w/:]*$/.test(w)
    ) {
      v = `${w}.0`;
    }
    out.push(v);
    seen.push(v);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// tokenizer (shared by text and set parsing)

interface Token {
  readonly t: string;
  readonly quoted: boolean;
  readonly line: number;
}

const PUNCT = new Set(['{', '}', ';', '[', ']']);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const ch = text[i] as string;
    if (ch === '\n') {
      line++;
      i++;
    } else if (/\s/.test(ch)) {
      i++;
    } else if (ch === '#') {
      while (i < n && text[i] !== '\n') i++;
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      for (let k = i; k < stop; k++) if (text[k] === '\n') line++;
      i = stop;
    } else if (PUNCT.has(ch)) {
      tokens.push({ t: ch, quoted: false, line });
      i++;
    } else if (ch === '"') {
      let v = '';
      const startLine = line;
      i++;
      while (i < n && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < n) {
          v += text[i + 1];
          i += 2;
        } else {
          if (text[i] === '\n') line++;
          v += text[i];
          i++;
        }
      }
      i++;
      tokens.push({ t: v, quoted: true, line: startLine });
    } else {
      // `[`/`]` inside a word belong to it (`member ge-0/0/[2-5];`); standing alone they delimit a list.
      let v = '';
      let open = 0;
      while (i < n && !/\s/.test(text[i] as string) && text[i] !== '"') {
        const c = text[i] as string;
        if (c === '{' || c === '}' || c === ';') break;
        if (c === '[') open++;
        if (c === ']') {
          if (open === 0) break;
          open--;
        }
        v += c;
        i++;
      }
      tokens.push({ t: v, quoted: false, line });
    }
  }
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// curly-brace text

const TAGS = new Set(['replace:', 'delete:', 'inactive:', 'active:', 'protect:', 'unprotect:']);

/**
 * Parses curly-brace configuration (as `show configuration` prints it, or a `load` file) into a
 * tree. `replace:`/`delete:` tags are kept on the nodes for mergeConfig; `inactive:` marks nodes.
 * Throws ConfigSyntaxError with Junos-style issues (bad element, `[edit …]` path).
 */
export function parseConfigText(text: string): ConfigNode {
  const tokens = tokenize(text);
  const root = emptyConfig();
  const issues: ConfigIssue[] = [];
  let pos = 0;

  const peek = (): Token | undefined => tokens[pos];

  /** Skips to the end of the current statement or block after an error. */
  const recover = (startDepth = 0): void => {
    let depth = startDepth;
    while (pos < tokens.length) {
      const t = tokens[pos] as Token;
      pos++;
      if (!t.quoted && t.t === '{') depth++;
      else if (!t.quoted && t.t === '}') {
        depth--;
        if (depth <= 0) {
          issues.push({ severity: 'error', message: 'error recovery ignores input until this point', badElement: '}', line: t.line });
          return;
        }
      } else if (!t.quoted && t.t === ';' && depth === 0) return;
    }
  };

  const parseBlock = (parent: ConfigNode, path: string[], depth: number): void => {
    for (;;) {
      const tok = peek();
      if (tok === undefined) {
        if (depth > 0) issues.push({ severity: 'error', message: "syntax error, expecting '}'", badElement: 'end of input', path });
        return;
      }
      if (!tok.quoted && tok.t === '}') {
        if (depth === 0) {
          issues.push({ severity: 'error', message: 'syntax error', badElement: '}', path, line: tok.line });
          pos++;
          continue;
        }
        pos++;
        return;
      }
      if (!tok.quoted && tok.t === ';') {
        pos++;
        continue;
      }
      let tag: ConfigNode['tag'];
      let inactive: boolean | undefined;
      while (peek() !== undefined && !(peek() as Token).quoted && TAGS.has((peek() as Token).t)) {
        const t = (peek() as Token).t;
        if (t === 'replace:') tag = 'replace';
        else if (t === 'delete:') tag = 'delete';
        else if (t === 'inactive:') inactive = true;
        else if (t === 'active:') inactive = false;
        pos++;
      }
      const words: string[] = [];
      const first = peek();
      while (peek() !== undefined && ((peek() as Token).quoted || !PUNCT.has((peek() as Token).t))) {
        words.push((peek() as Token).t);
        pos++;
      }
      const end = peek();
      if (words.length === 0) {
        issues.push({ severity: 'error', message: 'syntax error', badElement: end?.t ?? 'end of input', path, line: end?.line ?? first?.line });
        pos++;
        if (end !== undefined && end.t === '{') recover(1);
        continue;
      }
      if (depth === 0 && !TOP_LEVEL.has(words[0] as string)) {
        issues.push({ severity: 'error', message: 'syntax error', badElement: words[0] as string, path, line: first?.line });
        if (end !== undefined && end.t === '{') recover();
        else if (end !== undefined && end.t === ';') pos++;
        continue;
      }
      let listValues: string[] | undefined;
      if (end !== undefined && !end.quoted && end.t === '[') {
        pos++;
        listValues = [];
        while (peek() !== undefined && ((peek() as Token).quoted || (peek() as Token).t !== ']')) {
          const v = peek() as Token;
          if (!v.quoted && PUNCT.has(v.t)) break;
          listValues.push(v.t);
          pos++;
        }
        const close = peek();
        if (close === undefined || close.t !== ']') {
          issues.push({ severity: 'error', message: 'syntax error, expecting ]', badElement: close?.t ?? 'end of input', path, line: close?.line });
          recover();
          continue;
        }
        pos++;
      }
      const term = peek();
      if (term === undefined || term.quoted || (term.t !== ';' && term.t !== '{')) {
        issues.push({
          severity: 'error',
          message: "syntax error, expecting ';' or '{'",
          badElement: term?.t ?? words[words.length - 1] ?? 'end of input',
          path,
          line: term?.line ?? first?.line,
        });
        continue;
      }
      pos++;
      const isBlock = term.t === '{';
      if (isBlock && listValues !== undefined) {
        issues.push({ severity: 'error', message: 'syntax error', badElement: '{', path, line: term.line });
        recover();
        continue;
      }
      const placed = placeStatement(parent, path, words, listValues, isBlock);
      const target = placed.node;
      if (tag !== undefined) target.tag = tag;
      if (inactive !== undefined) target.inactive = inactive;
      if (isBlock) parseBlock(target, [...path, ...placed.trail], depth + 1);
    }
  };

  parseBlock(root, [], 0);
  if (issues.length > 0) throw new ConfigSyntaxError(issues);
  return root;
}

/**
 * Creates the nodes for one parsed statement under `parent` (merging with what the same text
 * already declared). Returns the statement's own node and the words of the levels created below `parent`.
 */
function placeStatement(
  parent: ConfigNode,
  path: string[],
  rawWords: string[],
  listValues: string[] | undefined,
  isBlock: boolean,
): { node: ConfigNode; trail: string[] } {
  const words = normalizeWords(rawWords, path);
  let node = parent;
  const trail: string[] = [];
  let i = 0;
  const pathWords = listValues !== undefined ? words.slice(0, -1) : words;
  while (i < pathWords.length) {
    const { step, used } = nextStep(pathWords, i, node.words, isBlock || listValues !== undefined);
    i += used;
    node = applyStep(node, step);
    trail.push(...node.words);
  }
  if (listValues !== undefined) {
    const kw = words[words.length - 1] as string;
    const l = leaf([kw], listValues);
    putChild(node, l);
    return { node: l, trail: [...trail, kw] };
  }
  return { node, trail };
}

/** Creates (or reuses) the child for one step; a leaf step replaces the value. Returns the child. */
function applyStep(node: ConfigNode, step: Step): ConfigNode {
  const key = step.words.join(' ');
  const existing = findChild(node, key);
  if (step.kind === 'leaf') {
    if (existing !== undefined && existing.kind === 'leaf' && LEAF_LIST.has(step.words[0] as string)) {
      for (const v of step.values) if (!existing.values.includes(v)) existing.values.push(v);
      return existing;
    }
    const l = leaf(step.words, [...step.values]);
    if (existing !== undefined) l.inactive = existing.inactive;
    putChild(node, l);
    return l;
  }
  if (existing !== undefined && existing.kind === 'container') return existing;
  const c = container(step.words);
  if (step.words.length === 1 && CONTAINERS.has(step.words[0] as string) && existing?.kind === 'leaf') {
    for (const v of existing.values) c.children.push(container([v]));
  }
  putChild(node, c);
  return c;
}

// ---------------------------------------------------------------------------------------------
// set / delete commands

export interface SetResult {
  readonly tree: ConfigNode;
  readonly warnings: readonly ConfigIssue[];
}

/**
 * Applies `set`, `delete`, `activate`, `deactivate`, `edit`, `top`, `up` lines to a copy of
 * `base`. Unknown verbs and malformed lines are errors (ConfigSyntaxError, nothing applied);
 * deleting what is not there is a warning (`statement not found`), as on Junos.
 */
export function applySetCommands(base: ConfigNode, text: string): SetResult {
  const tree = cloneConfig(base);
  const errors: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  let editPath: string[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, idx) => {
    const line = idx + 1;
    const tokens = tokenize(raw);
    if (tokens.length === 0) return;
    const verb = (tokens[0] as Token).t;
    const bad = tokens.find((t) => !t.quoted && PUNCT.has(t.t));
    if (bad !== undefined) {
      errors.push({ severity: 'error', message: 'syntax error', badElement: bad.t, line });
      return;
    }
    const args = normalizeWords(
      tokens.slice(1).map((t) => t.t),
      editPath,
    );
    const full = [...editPath, ...args];
    switch (verb) {
      case 'set': {
        if (args.length === 0) {
          errors.push({ severity: 'error', message: 'syntax error, expecting <statement>', badElement: 'set', line });
          return;
        }
        if (editPath.length === 0 && !TOP_LEVEL.has(args[0] as string)) {
          errors.push({ severity: 'error', message: 'syntax error', badElement: args[0] as string, path: [], line });
          return;
        }
        setPath(tree, full);
        return;
      }
      case 'delete':
      case 'activate':
      case 'deactivate': {
        if (full.length === 0) {
          if (verb === 'delete') tree.children = [];
          return;
        }
        const found = locate(tree, full);
        if (found === undefined) {
          warnings.push({ severity: 'warning', message: 'statement not found', badElement: full[full.length - 1] as string, path: full.slice(0, -1), line });
          return;
        }
        if (verb === 'delete') {
          deleteLocated(found);
        } else {
          found.node.inactive = verb === 'deactivate';
        }
        return;
      }
      case 'edit': {
        if (editPath.length === 0 && args.length > 0 && !TOP_LEVEL.has(args[0] as string)) {
          errors.push({ severity: 'error', message: 'syntax error', badElement: args[0] as string, path: [], line });
          return;
        }
        editPath = createPath(tree, full);
        return;
      }
      case 'top':
        editPath = [];
        return;
      case 'up':
      case 'exit': {
        const levels = levelsOf(tree, editPath);
        const n = Math.max(1, Number(args[0] ?? '1') || 1);
        editPath = levels.slice(0, Math.max(0, levels.length - n)).flat();
        return;
      }
      case 'annotate':
        // Comments are not kept by the simulator; the statement must exist, as on Junos.
        if (locate(tree, full.slice(0, -1)) === undefined && full.length > 1) {
          warnings.push({ severity: 'warning', message: 'statement not found', badElement: full[full.length - 2] as string, line });
        }
        return;
      default:
        errors.push({ severity: 'error', message: 'syntax error', badElement: verb, line });
    }
  });
  if (errors.length > 0) throw new ConfigSyntaxError(errors);
  return { tree, warnings };
}

/** Creates the statement named by the full word path (a `set` command without the verb). */
export function setPath(tree: ConfigNode, words: readonly string[]): void {
  let node = tree;
  let i = 0;
  while (i < words.length) {
    const existing = matchExisting(node, words, i);
    if (existing !== undefined && existing.node.kind === 'container' && i + existing.used < words.length) {
      node = existing.node;
      i += existing.used;
      continue;
    }
    const { step, used } = nextStep(words, i, node.words, false);
    i += used;
    node = applyStep(node, step);
  }
}

/** The longest existing child whose words equal words[i…]. */
function matchExisting(node: ConfigNode, words: readonly string[], i: number): { node: ConfigNode; used: number } | undefined {
  for (let k = Math.min(4, words.length - i); k >= 1; k--) {
    const c = findChild(node, words.slice(i, i + k).join(' '));
    if (c !== undefined) return { node: c, used: k };
  }
  return undefined;
}

interface Located {
  readonly parent: ConfigNode;
  readonly node: ConfigNode;
  /** Words after a leaf's keyword (`delete … export p1` names one value). */
  readonly values: string[];
  /** Every node from the root down to `parent`. */
  readonly ancestors: readonly ConfigNode[];
}

/** Finds an existing statement by its full word path; undefined when absent. */
function locate(tree: ConfigNode, words: readonly string[]): Located | undefined {
  let node = tree;
  const ancestors: ConfigNode[] = [tree];
  let i = 0;
  while (i < words.length) {
    const m = matchExisting(node, words, i);
    if (m === undefined) return undefined;
    if (i + m.used === words.length) return { parent: node, node: m.node, values: [], ancestors };
    if (m.node.kind === 'leaf') {
      const values = words.slice(i + m.used);
      return values.every((v) => m.node.values.includes(v)) ? { parent: node, node: m.node, values, ancestors } : undefined;
    }
    node = m.node;
    ancestors.push(node);
    i += m.used;
  }
  return undefined;
}

/** Deletes a located statement; plain containers left empty by it go too (`delete routing-options static`). */
function deleteLocated(found: Located): void {
  if (found.values.length > 0 && found.node.kind === 'leaf' && found.node.values.length > 1) {
    found.node.values = found.node.values.filter((v) => !found.values.includes(v));
    if (found.node.values.length > 0) return;
  }
  removeChild(found.parent, nodeKey(found.node));
  for (let k = found.ancestors.length - 1; k >= 1; k--) {
    const n = found.ancestors[k] as ConfigNode;
    if (n.children.length > 0 || n.words.length !== 1 || n.inactive) break;
    removeChild(found.ancestors[k - 1] as ConfigNode, nodeKey(n));
  }
}

/** Splits a path into its hierarchy levels (each level's words), following existing statements first. */
function levelsOf(tree: ConfigNode, words: readonly string[]): string[][] {
  const levels: string[][] = [];
  let node = tree;
  let i = 0;
  while (i < words.length) {
    const m = matchExisting(node, words, i);
    if (m !== undefined && m.node.kind === 'container') {
      levels.push(m.node.words);
      node = m.node;
      i += m.used;
      continue;
    }
    const { step, used } = nextStep(words, i, node.words, true);
    levels.push(step.words);
    node = container(step.words);
    i += used;
  }
  return levels;
}

/** `edit PATH`: creates the missing containers and returns the path in its normalised form. */
function createPath(tree: ConfigNode, words: readonly string[]): string[] {
  let node = tree;
  for (const level of levelsOf(tree, words)) node = applyStep(node, { kind: 'container', words: level });
  return levelsOf(tree, words).flat();
}

/**
 * The node at a hierarchy path (`show configuration protocols ospf`, filters). Words are matched
 * against existing statements; undefined when absent.
 */
export function findPath(tree: ConfigNode, words: readonly string[]): ConfigNode | undefined {
  if (words.length === 0) return tree;
  return locate(tree, normalizeWords(words, []))?.node;
}

/** Splits a path into its hierarchy levels, e.g. for `[edit …]` (levels that do not exist follow the schema). */
export function pathLevels(tree: ConfigNode, words: readonly string[]): string[][] {
  return levelsOf(tree, normalizeWords(words, []));
}

// ---------------------------------------------------------------------------------------------
// rendering

const PLAIN_WORD = /^[A-Za-z0-9._\-/:*@,+=^~%!?][A-Za-z0-9._\-/:*@,+=^~%!?[\]]*$/;

/** Quotes a word when Junos would: spaces, specials, or empty. */
export function quoteWord(w: string): string {
  if (PLAIN_WORD.test(w)) return w;
  return `"${w.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function header(node: ConfigNode): string {
  return (node.inactive ? 'inactive: ' : '') + node.words.map(quoteWord).join(' ');
}

/** Leaves Junos marks `## SECRET-DATA` when it prints them. */
const SECRET_LEAVES = new Set(['encrypted-password', 'authentication-key', 'secret', 'pre-shared-key', 'simple-password']);

/** The statement's lines at indentation 0 (children indented by 4 per level). */
function renderLines(node: ConfigNode, indent: number, out: string[]): void {
  const pad = ' '.repeat(indent);
  if (node.kind === 'leaf') {
    const vals = node.values.map(quoteWord);
    const body = vals.length > 1 ? `[ ${vals.join(' ')} ]` : (vals[0] ?? '');
    const secret = SECRET_LEAVES.has(node.words[0] as string) ? ' ## SECRET-DATA' : '';
    out.push(`${pad}${header(node)}${body === '' ? '' : ' ' + body};${secret}`);
    return;
  }
  if (node.children.length === 0) {
    out.push(`${pad}${header(node)};`);
    return;
  }
  out.push(`${pad}${header(node)} {`);
  for (const c of ordered(node)) renderLines(c, indent + 4, out);
  out.push(`${pad}}`);
}

/** Curly-brace text of a tree (its children; the root itself has no header). Ends with a newline, or '' when empty. */
export function renderConfigText(tree: ConfigNode): string {
  const out: string[] = [];
  for (const c of ordered(tree)) renderLines(c, 0, out);
  return out.length === 0 ? '' : out.join('\n') + '\n';
}

/** `| display set` form: one `set` per leaf or empty container, then `deactivate` lines. */
export function renderSetCommands(tree: ConfigNode, prefix: readonly string[] = []): string {
  const sets: string[] = [];
  const deactivates: string[] = [];
  const walk = (node: ConfigNode, path: string[]): void => {
    for (const c of ordered(node)) {
      const p = [...path, ...c.words.map(quoteWord)];
      if (c.kind === 'leaf') {
        for (const v of c.values) sets.push(`set ${[...p, quoteWord(v)].join(' ')}`);
      } else if (c.children.length === 0) {
        sets.push(`set ${p.join(' ')}`);
      } else {
        walk(c, p);
      }
      if (c.inactive) deactivates.push(`deactivate ${p.join(' ')}`);
    }
  };
  walk(tree, prefix.map(quoteWord));
  const lines = [...sets, ...deactivates];
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// merge / override / replace

function stripTags(node: ConfigNode): ConfigNode {
  const copy = cloneConfig(node);
  const walk = (n: ConfigNode): void => {
    delete n.tag;
    n.children = n.children.filter((c) => c.tag !== 'delete');
    n.children.forEach(walk);
  };
  walk(copy);
  return copy;
}

/**
 * Loads `patch` into `base` as `load <method>` does and returns the new tree:
 * - merge: statements are added or replace leaf values; containers merge.
 * - replace: as merge, but statements tagged `replace:` replace the whole statement.
 * - override / update: the result is exactly the patch.
 * `delete:` tags remove the statement in merge and replace.
 */
export function mergeConfig(base: ConfigNode, patch: ConfigNode, method: LoadMethod): ConfigNode {
  if (method === 'override' || method === 'update') return stripTags(patch);
  const result = cloneConfig(base);
  mergeInto(result, patch, method === 'replace');
  return result;
}

function mergeInto(target: ConfigNode, patch: ConfigNode, honourReplace: boolean): void {
  for (const p of patch.children) {
    const key = nodeKey(p);
    if (p.tag === 'delete') {
      removeChild(target, key);
      continue;
    }
    const existing = findChild(target, key);
    if (existing === undefined || existing.kind !== p.kind || (p.tag === 'replace' && honourReplace)) {
      putChild(target, stripTags(p));
      continue;
    }
    if (p.kind === 'leaf') {
      if (LEAF_LIST.has(p.words[0] as string)) {
        for (const v of p.values) if (!existing.values.includes(v)) existing.values.push(v);
      } else {
        existing.values = [...p.values];
      }
    } else {
      mergeInto(existing, p, honourReplace);
    }
    if (p.inactive) existing.inactive = true;
  }
}

/**
 * Replays the changes between `base` and `mine` onto `current` (a private candidate committed
 * after someone else changed the running configuration).
 */
export function rebaseConfig(base: ConfigNode, mine: ConfigNode, current: ConfigNode): ConfigNode {
  const result = cloneConfig(current);
  rebaseInto(base, mine, result);
  return result;
}

function rebaseInto(base: ConfigNode, mine: ConfigNode, target: ConfigNode): void {
  for (const m of mine.children) {
    const key = nodeKey(m);
    const b = findChild(base, key);
    if (b === undefined) {
      putChild(target, cloneConfig(m));
    } else if (diffConfig(b, m) !== '' || b.inactive !== m.inactive || b.values.join('\u0000') !== m.values.join('\u0000')) {
      const t = findChild(target, key);
      if (m.kind === 'container' && b.kind === 'container' && t !== undefined && t.kind === 'container') {
        rebaseInto(b, m, t);
        t.inactive = m.inactive;
      } else {
        putChild(target, cloneConfig(m));
      }
    }
  }
  for (const b of base.children) {
    if (findChild(mine, nodeKey(b)) === undefined) removeChild(target, nodeKey(b));
  }
}

// ---------------------------------------------------------------------------------------------
// diff (`show | compare`)

/**
 * Differences from `from` to `to` in Junos `show | compare` form: `[edit …]` headers, then `+`/`-`
 * lines (`!` for activation changes) indented as in the configuration. '' when equal.
 */
export function diffConfig(from: ConfigNode, to: ConfigNode): string {
  const out: string[] = [];
  diffLevel(from, to, [], out);
  return out.length === 0 ? '' : out.join('\n') + '\n';
}

function diffLevel(a: ConfigNode, b: ConfigNode, path: string[], out: string[]): void {
  let headerShown = false;
  const emit = (marker: string, lines: string[]): void => {
    if (!headerShown) {
      out.push(path.length === 0 ? '[edit]' : `[edit ${path.map(quoteWord).join(' ')}]`);
      headerShown = true;
    }
    for (const l of lines) out.push(`${marker}  ${l}`);
  };
  const lines = (n: ConfigNode, asInactive?: boolean): string[] => {
    const copy = asInactive === undefined ? n : { ...n, inactive: asInactive };
    const acc: string[] = [];
    renderLines(copy, 0, acc);
    return acc;
  };
  for (const nb of ordered(b)) {
    const na = findChild(a, nodeKey(nb));
    if (na === undefined) {
      emit('+', lines(nb));
      continue;
    }
    if (na.kind !== nb.kind || (nb.kind === 'leaf' && na.values.join('\u0000') !== nb.values.join('\u0000'))) {
      emit('-', lines(na));
      emit('+', lines(nb));
      continue;
    }
    if (na.inactive !== nb.inactive) {
      const head = (nb.inactive ? 'inactive: ' : 'active: ') + nb.words.map(quoteWord).join(' ');
      emit('!', [nb.kind === 'container' && nb.children.length > 0 ? `${head} { ... }` : `${head};`]);
    }
    if (nb.kind === 'container') {
      const before = out.length;
      diffLevel(na, nb, [...path, ...nb.words], out);
      if (out.length > before) headerShown = false;
    }
  }
  for (const na of ordered(a)) {
    if (findChild(b, nodeKey(na)) === undefined) emit('-', lines(na));
  }
}
