/**
 * EOS exec-mode command words for the simulator: resolves what was typed to full keywords (unique
 * prefixes only when the request set `autoComplete`, as eAPI does) or says where the input went
 * wrong, in EOS' words: `Invalid input (at token 1: 'bogus')`.
 */

/** A keyword tree: `null` = complete here; '<arg>' = any one word; '<rest>' = any words to the end; '<end>' = may stop here. */
export type CommandTree = { readonly [word: string]: CommandTree | null } | null;

const END = { '<end>': null } as const;

export const EXEC_TREE: CommandTree = {
  show: {
    version: { ...END, detail: null },
    hostname: null,
    clock: null,
    interfaces: { status: null },
    ip: { ospf: { neighbor: null }, interface: { brief: null } },
    'running-config': { ...END, all: null },
    'startup-config': null,
    'session-config': { ...END, diffs: null, named: { '<arg>': { ...END, diffs: null } } },
    configuration: { sessions: { ...END, detail: null }, checkpoints: null },
  },
  enable: { ...END, '<rest>': null },
  disable: null,
  configure: {
    ...END,
    terminal: null,
    session: { ...END, '<arg>': { ...END, commit: { ...END, timer: { '<arg>': null } }, abort: null, description: { '<rest>': null } } },
    replace: { '<arg>': { ...END, force: null } },
    checkpoint: { save: { '<arg>': null } },
  },
  copy: { '<arg>': { '<arg>': null } },
  write: { ...END, memory: null },
  end: null,
  exit: null,
};

/** Commands of configuration mode the simulator handles itself (everything else edits the configuration). */
export const CONFIG_TREE: CommandTree = {
  end: null,
  exit: null,
  abort: null,
  commit: { ...END, timer: { '<arg>': null } },
  rollback: { 'clean-config': null },
};

export type Resolved = { readonly ok: true; readonly words: string[] } | { readonly ok: false; readonly error: string };

function keywords(node: { readonly [w: string]: CommandTree | null }): string[] {
  return Object.keys(node).filter((k) => !k.startsWith('<'));
}

/**
 * Walks `tokens` down `tree`. Keywords come back in full and lower case, arguments as typed.
 * `prefixes` allows unique abbreviations (eAPI `autoComplete: true`).
 */
export function resolveCommand(tree: CommandTree, tokens: readonly string[], prefixes: boolean): Resolved {
  const words: string[] = [];
  let node: CommandTree = tree;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    if (node === null) return { ok: false, error: `Invalid input (at token ${i}: '${token}')` };
    if (Object.hasOwn(node, '<rest>')) {
      words.push(...tokens.slice(i));
      return { ok: true, words };
    }
    const lower = token.toLowerCase();
    const all = keywords(node);
    let match = all.find((k) => k === lower);
    if (match === undefined && prefixes) {
      const candidates = all.filter((k) => k.startsWith(lower));
      if (candidates.length > 1) return { ok: false, error: `Ambiguous command (at token ${i}: '${token}')` };
      match = candidates[0];
    }
    if (match !== undefined) {
      words.push(match);
      node = node[match] ?? null;
      continue;
    }
    if (Object.hasOwn(node, '<arg>')) {
      words.push(token);
      node = node['<arg>'] ?? null;
      continue;
    }
    return { ok: false, error: `Invalid input (at token ${i}: '${token}')` };
  }
  if (node !== null && !Object.hasOwn(node, '<end>') && !Object.hasOwn(node, '<rest>')) {
    return { ok: false, error: 'Incomplete command' };
  }
  return { ok: true, words };
}
