/** Curly-brace configuration text (a `load` file, `show configuration` output) parsed into a tree. */
import { TOP_LEVEL } from './config-schema.js';
import { ConfigSyntaxError, emptyConfig, leaf, putChild, type ConfigIssue, type ConfigNode } from './config-model.js';
import { applyStep, nextStep, normalizeWords } from './config-path.js';
import { PUNCT, tokenize, type Token } from './config-tokenize.js';
import { validateConfig } from './config-validate.js';

const TAGS = new Set(['replace:', 'delete:', 'inactive:', 'active:', 'protect:', 'unprotect:']);

/**
 * Parses curly-brace configuration (as `show configuration` prints it, or a `load` file) into a
 * tree. `replace:`/`delete:` tags are kept on the nodes for mergeConfig; `inactive:` marks nodes.
 * Throws ConfigSyntaxError with Junos-style issues (bad element, `[edit …]` path), including
 * statements the grammar does not know (config-validate.ts).
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
  if (issues.length === 0) issues.push(...validateConfig(root, 'text'));
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
