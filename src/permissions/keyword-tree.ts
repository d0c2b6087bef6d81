/**
 * A CLI's keyword hierarchy as data: each keyword maps to the keywords that may follow it.
 * Words that are not keywords at a position (interface names, addresses, file names) are arguments
 * and leave the position unchanged, so `show interfaces ge-0/0/0 terse` still finds `terse`.
 */
export interface KeywordTree {
  readonly [keyword: string]: KeywordTree;
}

export const LEAF: KeywordTree = Object.freeze({});

/** Keywords that take no further keywords. */
export function leaves(...keywords: string[]): KeywordTree {
  return Object.freeze(Object.fromEntries(keywords.map((k) => [k, LEAF])));
}

export type KeywordLookup =
  | { readonly kind: 'keyword'; readonly keyword: string; readonly next: KeywordTree }
  | { readonly kind: 'ambiguous'; readonly candidates: readonly string[] }
  | { readonly kind: 'argument' };

/**
 * Resolves a lowercase word at one position. An exact keyword wins (`ospf` over `ospf3`); with
 * `prefixes`, a prefix of exactly one keyword expands to it, as Junos, EOS and IOS do.
 */
export function lookupKeyword(tree: KeywordTree, word: string, prefixes: boolean): KeywordLookup {
  if (Object.hasOwn(tree, word)) return { kind: 'keyword', keyword: word, next: tree[word] ?? LEAF };
  if (!prefixes || word === '') return { kind: 'argument' };
  const candidates = Object.keys(tree).filter((k) => k.startsWith(word));
  if (candidates.length === 1) {
    const keyword = candidates[0] ?? word;
    return { kind: 'keyword', keyword, next: tree[keyword] ?? LEAF };
  }
  if (candidates.length > 1) return { kind: 'ambiguous', candidates: candidates.sort() };
  return { kind: 'argument' };
}
