/**
 * Selector → nodes (DESIGN.md §3). Every given field must match (intersection); within one list
 * field any entry may match. Names may be short (`r1`), long (`clab-dc1-r1`) or `lab/node`; a short
 * name found in two labs is ambiguous unless --lab narrows it. Mistakes are UsageErrors with the
 * closest names; a selector that matches nothing is an error too, so nothing runs by accident.
 */
import { UsageError } from '../errors.js';
import { didYouMean, suggest } from '../util/suggest.js';
import { isKindGlob, kindMatches, kindNames, resolveKind } from './kinds.js';
import type { LabNode, Selector } from './types.js';
import { nodeKey } from '../model/node-ref.js';

const LIST_HINT = 'run `clab-bot nodes` to list the nodes found';

const unique = <T>(values: Iterable<T>): T[] => [...new Set(values)];

function unknown(what: string, value: string, candidates: Iterable<string>, hint = LIST_HINT): UsageError {
  const suggestions = suggest(value, candidates);
  const mean = didYouMean(suggestions);
  return new UsageError(`unknown ${what} "${value}"${mean ? ` (${mean})` : ''}`, { suggestions, hint });
}

export function describeSelector(selector: Selector): string {
  const parts: string[] = [];
  if (selector.names?.length) parts.push(selector.names.join(','));
  for (const kind of selector.kinds ?? []) parts.push(`--kind ${kind}`);
  for (const { key, value } of selector.labels ?? []) parts.push(`--label ${key}=${value}`);
  for (const group of selector.groups ?? []) parts.push(`--group ${group}`);
  for (const lab of selector.labs ?? []) parts.push(`--lab ${lab}`);
  if (selector.all) parts.push('--all');
  return parts.join(' ');
}

function isEmpty(selector: Selector): boolean {
  return !selector.all && !selector.names?.length && !selector.kinds?.length && !selector.labels?.length
    && !selector.groups?.length && !selector.labs?.length;
}

/** Nodes matching one name within `scope` (already narrowed by --lab); throws when unknown or ambiguous. */
function byName(name: string, scope: readonly LabNode[], all: readonly LabNode[]): LabNode[] {
  const slash = name.indexOf('/');
  if (slash > 0) {
    const lab = name.slice(0, slash);
    const short = name.slice(slash + 1);
    const inLab = all.filter((n) => n.lab === lab);
    if (inLab.length === 0) throw unknown('lab', lab, unique(all.map((n) => n.lab)));
    const found = inLab.filter((n) => n.name === short || n.longName === short);
    if (found.length === 0) throw unknown(`node in lab ${lab}:`, short, inLab.map((n) => n.name));
    return found;
  }
  let found = scope.filter((n) => n.name === name || n.longName === name);
  if (found.length === 0) {
    const lower = name.toLowerCase();
    found = scope.filter((n) => n.name.toLowerCase() === lower || n.longName.toLowerCase() === lower);
  }
  if (found.length === 0) {
    const elsewhere = unique(all.filter((n) => n.name === name || n.longName === name).map((n) => n.lab));
    if (elsewhere.length > 0) {
      const suggestions = elsewhere.map((lab) => nodeKey({ lab, name }));
      throw new UsageError(`node "${name}" is not in the selected lab (it is in ${elsewhere.join(', ')})`, {
        suggestions,
        hint: `drop --lab or write ${suggestions[0]}`,
      });
    }
    throw unknown('node', name, unique(scope.map((n) => n.name)));
  }
  const labs = unique(found.map((n) => n.lab));
  if (labs.length > 1) {
    const short = found[0]?.name ?? name;
    const suggestions = labs.map((lab) => nodeKey({ lab, name: short }));
    throw new UsageError(`node "${name}" is in labs ${labs.join(' and ')}: write ${suggestions.join(' or ')}, or add --lab ${labs[0]}`, {
      suggestions,
    });
  }
  return found;
}

function checkKind(pattern: string, nodes: readonly LabNode[]): void {
  if (isKindGlob(pattern) || resolveKind(pattern) !== undefined) return;
  // A kind clab-bot does not know is kept as written: it can still be selected by that name.
  if (nodes.some((n) => n.kind === pattern.toLowerCase())) return;
  throw unknown(
    'kind',
    pattern,
    unique([...kindNames(), ...nodes.map((n) => n.kind)]),
    'kinds are containerlab kind names, e.g. vjunosrouter, srl, ceos, juniper_*',
  );
}

/** What is present, for the "no node matches" hint. */
function present(label: string, values: readonly string[]): string {
  const shown = unique(values).sort();
  return shown.length === 0 ? '' : `${label}: ${shown.slice(0, 8).join(', ')}${shown.length > 8 ? ', …' : ''}`;
}

export function selectNodes(nodes: readonly LabNode[], selector: Selector): LabNode[] {
  if (isEmpty(selector)) {
    throw new UsageError('no nodes selected: name nodes (r1,r2 or lab/node) or use --kind, --label, --group, --lab or --all', {
      hint: LIST_HINT,
    });
  }
  let pool: readonly LabNode[] = nodes;
  const hints: string[] = [];

  if (selector.labs?.length) {
    const known = unique(nodes.map((n) => n.lab));
    for (const lab of selector.labs) if (!known.includes(lab)) throw unknown('lab', lab, known, 'run `clab-bot labs` to list the labs found');
    const wanted = new Set(selector.labs);
    pool = pool.filter((n) => wanted.has(n.lab));
  }

  if (selector.names?.length) {
    const scope = pool;
    const chosen = new Set(selector.names.flatMap((name) => byName(name, scope, nodes)));
    pool = pool.filter((n) => chosen.has(n));
  }

  if (selector.kinds?.length) {
    const kinds = selector.kinds;
    for (const kind of kinds) checkKind(kind, nodes);
    hints.push(present('kinds here', pool.map((n) => n.kind)));
    pool = pool.filter((n) => kinds.some((k) => kindMatches(k, n.kind)));
  }

  if (selector.groups?.length) {
    const known = unique(nodes.map((n) => n.group).filter((g): g is string => g !== undefined));
    for (const group of selector.groups) if (!known.includes(group)) throw unknown('group', group, known);
    const wanted = new Set(selector.groups);
    hints.push(present('groups here', pool.map((n) => n.group ?? '').filter((g) => g !== '')));
    pool = pool.filter((n) => n.group !== undefined && wanted.has(n.group));
  }

  if (selector.labels?.length) {
    const labels = selector.labels;
    for (const { key, value } of labels) {
      if (!nodes.some((n) => n.labels[key] !== undefined)) {
        throw unknown('label', key, unique(nodes.flatMap((n) => Object.keys(n.labels))));
      }
      if (!nodes.some((n) => n.labels[key] === value)) {
        throw unknown(`value of label ${key}:`, value, unique(nodes.map((n) => n.labels[key]).filter((v): v is string => v !== undefined)));
      }
    }
    pool = pool.filter((n) => labels.some(({ key, value }) => n.labels[key] === value));
  }

  if (pool.length === 0) {
    const hint = hints.filter((h) => h !== '').join('; ');
    throw new UsageError(`no node matches ${describeSelector(selector)}`, { hint: hint === '' ? LIST_HINT : hint });
  }
  return [...pool];
}
