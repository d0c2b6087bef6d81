import { BACKUP_ACTIONS, LIMITS, type Request, type RequestSelector } from './request.js';
import { lenientWords, quoteWord } from './tokenize.js';

/**
 * The canonical text of a request, without the `/clab` or `clab-bot` prefix: what audit rows and
 * status lines show. Defaults are left out, options come in a fixed order, values are quoted
 * where needed, and `parse(formatRequest(r))` gives `r` back. Not redacted: pass the result
 * through src/redact before it leaves the process.
 */
export function formatRequest(request: Request): string {
  switch (request.verb) {
    case 'help':
      return words('help', request.topic);
    case 'labs':
    case 'whoami':
      return request.verb;
    case 'nodes':
      return words('nodes', ...selectorWords(request.selector), ...(request.facts === undefined ? [] : ['--facts']), ...(request.facts === 'refresh' ? ['--refresh'] : []));
    case 'graph':
      return words(
        'graph',
        ...selectorWords(request.selector),
        // `--check` alone would swallow nothing after it; written with its value it reads back the same.
        ...(request.check === undefined ? [] : ['--check', request.check]),
        ...(request.output === undefined ? [] : ['--output', request.output]),
        ...(request.out === undefined ? [] : ['--out', quoteWord(request.out)]),
      );
    case 'exec': {
      const options = [
        ...(request.format === 'text' ? [] : ['--format', request.format]),
        ...(request.timeoutSec === undefined ? [] : ['--timeout', String(request.timeoutSec)]),
      ];
      // `--` when the command has a word the parser would read as an option.
      const guard = lenientWords(request.command).some((w) => w.value.startsWith('-')) ? ['--'] : [];
      return words('exec', ...selectorWords(request.selector), ...options, ...guard, request.command);
    }
    case 'config': {
      const source = request.source;
      const sourceWords =
        source.type === 'file'
          ? ['--file', quoteWord(source.path)]
          : source.type === 'device-file'
            ? ['--device-file', quoteWord(source.path)]
            : source.type === 'rollback'
              ? ['--rollback', String(source.index)]
              : source.type === 'template'
                ? ['--template', quoteWord(source.path), ...varWords(source.vars)]
                : [];
      return words(
        'config',
        ...selectorWords(request.selector),
        ...sourceWords,
        ...(request.method === 'merge' ? [] : ['--method', request.method]),
        ...(request.dryRun ? ['--dry-run'] : []),
        ...(request.confirmMinutes === undefined ? [] : ['--confirm', String(request.confirmMinutes)]),
        ...(request.check === undefined ? [] : ['--check', quoteWord(request.check)]),
        ...(request.comment === undefined ? [] : ['--comment', quoteWord(request.comment)]),
      );
    }
    case 'render':
      return words('render', ...selectorWords(request.selector), '--template', quoteWord(request.template), ...varWords(request.vars));
    case 'rollback':
      return words('rollback', ...selectorWords(request.selector), String(request.index));
    case 'changes':
      return `changes --${request.filter}`;
    case 'change':
      return words(
        'change',
        String(request.id),
        request.action,
        ...(request.outcome === undefined ? [] : [`--${request.outcome}`]),
        ...(request.reason === undefined ? [] : ['--reason', quoteWord(request.reason)]),
      );
    case 'backup': {
      let selector = selectorWords(request.selector);
      // A node named like an action word (`list`) would read as the action: name it by flag.
      if (request.action === 'save' && (BACKUP_ACTIONS as readonly string[]).includes(selector[0]?.toLowerCase() ?? '')) {
        selector = request.selector.names?.length === 1 ? ['--node', selector[0]!] : ['--nodes', selector[0]!];
      }
      return words(
        'backup',
        request.action === 'save' ? undefined : request.action,
        ...selector,
        ...request.versions.map(String),
        ...(request.dir === undefined ? [] : ['--dir', quoteWord(request.dir)]),
      );
    }
    case 'drift':
      return words('drift', ...selectorWords(request.selector));
    case 'history':
      return words(
        'history',
        ...(request.selector === undefined ? [] : selectorWords(request.selector)),
        ...(request.limit === LIMITS.historyLimit.default ? [] : ['--limit', String(request.limit)]),
      );
    default:
      return request satisfies never;
  }
}

/** Names alone as the leading word (`r1,r2`); anything else as flags in a fixed order. */
function selectorWords(selector: RequestSelector): string[] {
  const { names, kinds, labels, groups, labs, all } = selector;
  const onlyNames = names !== undefined && [kinds, labels, groups, labs, all].every((v) => v === undefined);
  if (onlyNames) return [names.join(',')];
  const out: string[] = [];
  if (names !== undefined) out.push(...(names.length === 1 ? ['--node', names.join('')] : ['--nodes', names.join(',')]));
  for (const kind of kinds ?? []) out.push('--kind', kind);
  for (const label of labels ?? []) out.push('--label', quoteWord(`${label.key}=${label.value}`));
  for (const group of groups ?? []) out.push('--group', group);
  for (const lab of labs ?? []) out.push('--lab', lab);
  if (all === true) out.push('--all');
  return out;
}

function varWords(vars: readonly { readonly key: string; readonly value: string }[]): string[] {
  return vars.flatMap((v) => ['--var', quoteWord(`${v.key}=${v.value}`)]);
}

function words(...parts: (string | undefined)[]): string {
  return parts.filter((p): p is string => p !== undefined && p !== '').join(' ');
}
