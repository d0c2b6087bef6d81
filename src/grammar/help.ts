import type { UsageError } from '../errors.js';
import { SELECTOR_FLAGS, VERB_DEFS, valuePlaceholder, type FlagDef, type VerbDef } from './definitions.js';
import { VERBS, type HelpTopic, type Verb } from './request.js';

/**
 * Which front end the text came from: decides the command prefix and Slack's text escapes.
 * `console` is the terminal's interactive prompt, where commands are typed without a prefix.
 */
export type Source = 'slack' | 'terminal' | 'console';

function commandPrefix(source: Source): string {
  return source === 'slack' ? '/clab' : source === 'terminal' ? 'clab-bot' : '';
}

/** `words` as the user types them in `source`: `/clab change 4 approve`, `clab-bot …`, or bare in the console. */
export function commandLine(source: Source, words: string): string {
  const prefix = commandPrefix(source);
  return prefix === '' ? words : `${prefix} ${words}`;
}

/** The usage line of a verb, e.g. `/clab exec SELECTOR [--format text|json|xml] [--timeout SEC] COMMAND...`. */
export function usage(verb: Verb, source: Source = 'terminal'): string {
  return commandLine(source, usageWords(VERB_DEFS[verb]).join(' '));
}

/** The usage line when no verb is known yet. */
export function generalUsage(source: Source = 'terminal'): string {
  return `${commandLine(source, 'VERB [ARGS...]')}   (verbs: ${VERBS.join(', ')})`;
}

/** `see "/clab help exec"` */
export function helpHint(verb: Verb | undefined, source: Source): string {
  return `see "${commandLine(source, `help${verb === undefined ? '' : ` ${verb}`}`)}"`;
}

/**
 * What a user sees for a usage error, one fact a line: the message (with its "did you mean"),
 * the usage line, where to read more.
 */
export function describeUsageError(error: UsageError): string {
  const lines = [error.message];
  if (error.usage !== undefined) lines.push(`usage: ${error.usage}`);
  if (error.hint !== undefined) lines.push(error.hint);
  return lines.join('\n');
}

export interface HelpOptions {
  readonly topic?: HelpTopic;
  readonly source?: Source;
  /** Verbs the caller may run (permissions); the overview lists only these. Default: all. */
  readonly verbs?: readonly Verb[];
}

/** Plain text help: the overview, one verb in full, or the selector syntax. */
export function renderHelp(opts: HelpOptions = {}): string {
  const source = opts.source ?? 'terminal';
  if (opts.topic === undefined) return overview(source, opts.verbs ?? VERBS);
  if (opts.topic === 'selectors') return selectorHelp(source);
  return verbHelp(VERB_DEFS[opts.topic], source);
}

function overview(source: Source, verbs: readonly Verb[]): string {
  const defs = VERBS.filter((v) => verbs.includes(v)).map((v) => VERB_DEFS[v]);
  const rows = defs.map((d) => [[d.verb, ...d.before, ...d.after].join(' '), d.summary] as const);
  const examples = defs.flatMap((d) => d.examples.filter((e) => e !== d.verb).slice(0, 1));
  return [
    `usage: ${commandLine(source, 'VERB [ARGS...]')}`,
    '',
    ...table(rows),
    '',
    `SELECTOR: ${selectorSyntax()}`,
    `  flags combine as an intersection; see "${commandLine(source, 'help selectors')}"`,
    '',
    'examples:',
    ...examples.map((e) => `  ${commandLine(source, e)}`),
    '',
    `"${commandLine(source, 'help VERB')}" shows a verb's options.`,
  ].join('\n');
}

function verbHelp(def: VerbDef, source: Source): string {
  const rows: (readonly [string, string])[] = def.flags.map((f) => [flagUsage(f), flagSummary(f)] as const);
  if (def.selector !== 'none') rows.push([def.selector === 'required' ? 'SELECTOR' : '[SELECTOR]', `the nodes: ${selectorSyntax()}`]);
  return [
    `usage: ${usage(def.verb, source)}`,
    '',
    capitalise(def.summary) + '.',
    ...def.details,
    ...(source === 'slack' ? [] : (def.shellNotes ?? [])),
    ...(rows.length > 0 ? ['', 'options:', ...table(rows)] : []),
    ...(def.selector === 'none' ? [] : ['', `Selectors in full: ${commandLine(source, 'help selectors')}`]),
    '',
    'examples:',
    ...def.examples.map((e) => `  ${commandLine(source, e)}`),
  ].join('\n');
}

function selectorHelp(source: Source): string {
  const rows: (readonly [string, string])[] = [
    ['NAME[,NAME...]', 'as the first word: nodes by name (router1, clab-dc1-router1 or dc1/router1)'],
    ...SELECTOR_FLAGS.map((f) => [flagUsage(f), f.summary] as const),
  ];
  return [
    `SELECTOR: ${selectorSyntax()}`,
    '',
    ...table(rows),
    '',
    'Flags combine as an intersection: --lab dc1 --kind srl means the SR Linux nodes of lab dc1.',
    'A first word that names nodes and selector flags do not mix: write --nodes router1,router2 --lab dc1.',
    'Kinds match canonical names, containerlab aliases and short forms: vjunosrouter = juniper_vjunosrouter, srl = nokia_srlinux, ceos = arista_ceos.',
    '',
    'examples:',
    `  ${commandLine(source, 'nodes --lab dc1 --kind srl')}`,
    `  ${commandLine(source, 'exec router1,router2 show version')}`,
    `  ${commandLine(source, 'exec --label role=spine --format json show interfaces terse')}`,
  ].join('\n');
}

function selectorSyntax(): string {
  return ['NAME[,NAME...]', ...SELECTOR_FLAGS.map(flagUsage)].join(' | ');
}

function usageWords(def: VerbDef): string[] {
  const words: string[] = [def.verb, ...def.before];
  const groupsShown = new Set<string>();
  for (const flag of def.flags) {
    if (flag.group === undefined) {
      words.push(flag.required ? flagUsage(flag) : `[${flagUsage(flag)}]${flag.repeatable ? '...' : ''}`);
      continue;
    }
    if (groupsShown.has(flag.group)) continue;
    groupsShown.add(flag.group);
    const members = def.flags.filter((f) => f.group === flag.group);
    const separator = members.every((m) => m.value === undefined) ? '|' : ' | ';
    words.push(`[${members.map(flagUsage).join(separator)}]`);
  }
  words.push(...def.after);
  return words;
}

function flagUsage(flag: FlagDef): string {
  return flag.value === undefined ? flag.name : `${flag.name} ${valuePlaceholder(flag.value)}`;
}

function flagSummary(flag: FlagDef): string {
  const v = flag.value;
  return v?.type === 'int' ? `${flag.summary} (${v.min}-${v.max})` : flag.summary;
}

function table(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(0, ...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}   ${right}`);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
