/**
 * Checks a loaded configuration tree against the grammar (config-grammar.ts), as Junos' parser
 * does on load: an unknown word is a `syntax error` naming it and its hierarchy, a statement
 * without its value is refused. Works on the tree, so text, set and XML/JSON loads are checked
 * alike. One pass over the tree: linear in its size.
 */
import { COMMON, ROOT, type Grammar, type Statement } from './config-grammar.js';
import { container, replaceChildAt, type ConfigIssue, type ConfigNode } from './config-model.js';

/**
 * How the configuration arrived: the missing-value message differs. The CLI and `load set` say
 * `missing argument.`; text and XML loads report the parser's `syntax error, expecting <data>`.
 */
export type LoadForm = 'set' | 'text' | 'xml';

/** Problems in `tree` (empty when it is valid). May rewrite `word value;` shorthands of containers (`multipath multiple-as;`) into their block form. */
export function validateConfig(tree: ConfigNode, form: LoadForm): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  checkChildren(tree, ROOT, [], form, issues);
  return issues;
}

function lookup(grammar: Grammar, word: string): Statement | undefined {
  return Object.hasOwn(grammar, word) ? grammar[word] : Object.hasOwn(COMMON, word) ? COMMON[word] : undefined;
}

function syntax(path: readonly string[], badElement: string, message = 'syntax error'): ConfigIssue {
  return { severity: 'error', message, badElement, path };
}

function missing(path: readonly string[], word: string, form: LoadForm): ConfigIssue {
  return form === 'set' ? syntax(path, word, 'missing argument.') : syntax(path, word, 'syntax error, expecting <data>');
}

function checkChildren(node: ConfigNode, grammar: Grammar, path: readonly string[], form: LoadForm, issues: ConfigIssue[]): void {
  for (let i = 0; i < node.children.length; i++) {
    const child = node.children[i] as ConfigNode;
    if (child.tag === 'delete') continue; // `delete:` names what to remove; its body is not loaded
    const word = child.words[0] as string;
    const st = lookup(grammar, word);
    if (st === undefined) {
      issues.push(syntax(path, word));
      continue;
    }
    const replaced = checkStatement(child, st, path, form, issues);
    if (replaced !== undefined) replaceChildAt(node, i, replaced);
  }
}

/** Checks one statement; returns a replacement node when a shorthand was rewritten into its block form. */
function checkStatement(node: ConfigNode, st: Statement, path: readonly string[], form: LoadForm, issues: ConfigIssue[]): ConfigNode | undefined {
  const word = node.words[0] as string;
  const here = [...path, ...node.words];
  switch (st.kind) {
    case 'opaque':
      return undefined;
    case 'flag': {
      const extra = node.kind === 'leaf' ? node.values : node.words.length > 1 ? node.words.slice(1) : node.children.map((c) => c.words[0] as string);
      if (extra.length === 0 || (st.optionalValue === true && extra.length === 1 && node.children.length === 0)) return undefined;
      issues.push(syntax(here, extra[0] as string));
      return undefined;
    }
    case 'value': {
      if (node.kind === 'leaf') {
        if (node.values.length === 0) issues.push(missing(path, word, form));
        else if (node.values.length > 1 && st.list !== true) issues.push(syntax(here, node.values[1] as string));
        else if (st.choices !== undefined) {
          const bad = node.values.find((v) => !(st.choices as readonly string[]).includes(v));
          if (bad !== undefined) issues.push(syntax(here, bad));
        }
        return undefined;
      }
      if (st.block !== undefined && node.words.length === 1 && node.children.length > 0) {
        checkChildren(node, st.block, here, form, issues);
        return undefined;
      }
      if (node.words.length === 2 && node.children.length === 0) return undefined; // `[w, v]` from a block-position parse
      if (node.children.length === 0) issues.push(missing(path, word, form));
      else issues.push(syntax(here, node.children[0]?.words[0] as string));
      return undefined;
    }
    case 'container': {
      if (node.kind === 'leaf') return expandShorthand(node, st.children, path, form, issues);
      if (node.words.length > 1) {
        issues.push(syntax(here, node.words[1] as string));
        return undefined;
      }
      checkChildren(node, st.children, here, form, issues);
      return undefined;
    }
    case 'keyed': {
      if (node.kind === 'leaf') {
        // `word name;` where the splitter did not know `word` takes a name: store it as `word name { }`.
        if (node.values.length !== 1) {
          issues.push(node.values.length === 0 ? missing(path, word, form) : syntax(here, node.values[1] as string));
          return undefined;
        }
        const keyed = container([word, node.values[0] as string]);
        keyed.inactive = node.inactive;
        return keyed;
      }
      if (node.words.length < 2) {
        issues.push(missing(path, word, form));
        return undefined;
      }
      if (st.items === true) checkItems(node, st.children, here, form, issues);
      else checkChildren(node, st.children, here, form, issues);
      return undefined;
    }
    case 'named': {
      if (node.kind === 'leaf' || node.words.length > 1) {
        issues.push(syntax(here, node.kind === 'leaf' ? (node.values[0] as string) : (node.words[1] as string)));
        return undefined;
      }
      for (const entry of node.children) {
        const name = entry.words[0] as string;
        const also = st.also !== undefined ? lookup(st.also, name) : undefined;
        if (also !== undefined) {
          checkStatement(entry, also, here, form, issues);
          continue;
        }
        if (entry.tag === 'delete') continue;
        if (entry.kind === 'leaf' || entry.words.length > 1) {
          issues.push(syntax(here, entry.kind === 'leaf' ? (entry.values[0] as string) : (entry.words[1] as string)));
          continue;
        }
        checkChildren(entry, st.entry, [...here, name], form, issues);
      }
      return undefined;
    }
    case 'values':
      return undefined;
  }
}

/** Entries of a keyed list of bare values (`prefix-list p { 10.0.0.0/8; apply-path "…"; }`). */
function checkItems(node: ConfigNode, grammar: Grammar, path: readonly string[], form: LoadForm, issues: ConfigIssue[]): void {
  for (const item of node.children) {
    const st = lookup(grammar, item.words[0] as string);
    if (st !== undefined) checkStatement(item, st, path, form, issues);
    else if (item.kind === 'leaf' || item.children.length > 0)
      issues.push(syntax([...path, ...item.words], item.kind === 'leaf' ? (item.values[0] as string) : (item.children[0]?.words[0] as string)));
  }
}

/**
 * `container word;` is Junos shorthand for `container { word; }` when `word` is a flag or container
 * below it (`multipath multiple-as;`); anything else is a syntax error.
 */
function expandShorthand(node: ConfigNode, grammar: Grammar, path: readonly string[], form: LoadForm, issues: ConfigIssue[]): ConfigNode | undefined {
  const here = [...path, ...node.words];
  const bad = node.values.find((v) => {
    const st = lookup(grammar, v);
    return st === undefined || !(st.kind === 'flag' || st.kind === 'container' || st.kind === 'opaque');
  });
  if (bad !== undefined || node.values.length === 0) {
    issues.push(bad === undefined ? missing(path, node.words[0] as string, form) : syntax(here, bad));
    return undefined;
  }
  const block = container([...node.words]);
  block.inactive = node.inactive;
  for (const v of node.values) block.children.push(container([v]));
  return block;
}
