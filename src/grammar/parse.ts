import { UsageError } from '../errors.js';
import { flagsOf } from './definitions.js';
import { GrammarFailure, close, didYouMean, fail, orList, show } from './failure.js';
import { commandLine, generalUsage, helpHint, usage, type Source } from './help.js';
import {
  BACKUP_ACTIONS,
  CHANGE_ACTIONS,
  CHANGE_OUTCOMES,
  CHANGE_FILTERS,
  CONFIG_METHOD_CHOICES,
  EXEC_FORMATS,
  GRAPH_CHECKS,
  GRAPH_OUTPUTS,
  HELP_TOPICS,
  LIMITS,
  NODE_NAME,
  VERBS,
  requestSchema,
  type HelpTopic,
  type Request,
  type RequestConfigSource,
  type RequestSelector,
  type Verb,
} from './request.js';
import {
  choiceFlag,
  choiceValue,
  hasSelectorFlag,
  intFlag,
  intValue,
  isFlagLike,
  readHostFlag,
  scanWords,
  selectorOf,
  textFlag,
  varPairs,
  type HostFlags,
  type Scan,
} from './scan.js';
import { isQuoted, type Token } from './tokenize.js';
import { ArgvWords, TextWords, prepareArgv, prepareText, type Words } from './words.js';

export interface ParseOptions {
  /** Default 'terminal'. 'slack' undoes Slack's escapes and smart punctuation first. */
  readonly source?: Source;
  /**
   * Flags the front end handles itself (the terminal's `--labs DIR`, `--output json`): accepted
   * before the verb and wherever clab-bot's own flags are, returned in `hostOptions`, refused
   * when given twice. A verb's own flag of the same name wins.
   */
  readonly hostFlags?: HostFlags;
}

export type ParseResult =
  | { readonly ok: true; readonly request: Request; readonly hostOptions: Readonly<Record<string, string | true>> }
  | { readonly ok: false; readonly error: UsageError };

/**
 * Reads one command line (the text after `/clab`, or a console line) into a Request.
 * Never throws for any input: every mistake is a UsageError carrying a one-line message
 * (with "did you mean …" when something is close), the usage line of the verb, and a hint.
 * Empty text asks for help.
 */
export function parse(text: string, opts: ParseOptions = {}): ParseResult {
  const source = opts.source ?? 'terminal';
  return run(source, (ctx) => parseWords(new TextWords(prepareText(text, source)), ctx, opts.hostFlags ?? {}));
}

/**
 * The same grammar over arguments a shell has already split (`clab-bot exec r1 show version`).
 * The command words are joined with spaces; an argument holding spaces and no quotes is put
 * back in double quotes so the device sees one word.
 */
export function parseArgv(argv: readonly string[], opts: ParseOptions = {}): ParseResult {
  const source = opts.source ?? 'terminal';
  return run(source, (ctx) => parseWords(new ArgvWords(prepareArgv(argv)), ctx, opts.hostFlags ?? {}));
}

interface Context {
  readonly source: Source;
  verb: Verb | undefined;
}

interface Parsed {
  readonly request: Request;
  readonly hostOptions: Readonly<Record<string, string | true>>;
}

function run(source: Source, body: (ctx: Context) => Parsed): ParseResult {
  const ctx: Context = { source, verb: undefined };
  try {
    const { request, hostOptions } = body(ctx);
    return { ok: true, request, hostOptions };
  } catch (err) {
    if (!(err instanceof GrammarFailure)) throw err;
    const error = new UsageError(err.message, {
      suggestions: err.suggestions,
      usage: ctx.verb === undefined ? generalUsage(source) : usage(ctx.verb, source),
      hint: helpHint(ctx.verb, source),
    });
    return { ok: false, error };
  }
}

function parseWords(words: Words, ctx: Context, hostFlags: HostFlags): Parsed {
  // The front end's own flags may also come before the verb (`clab-bot --labs DIR exec …`).
  const host: Record<string, string | true> = {};
  let first = words.next();
  while (first !== undefined && isFlagLike(first) && readHostFlag(host, hostFlags, first, words)) first = words.next();
  if (first === undefined) return { request: { verb: 'help' }, hostOptions: host };
  const verb = verbOf(first, words, ctx.source);
  ctx.verb = verb;
  const scan = scanWords(words, verb, hostFlags, host);
  const request: Request = scan.help && verb !== 'help' ? { verb: 'help', topic: verb } : buildRequest(scan, ctx.source);
  const checked = requestSchema.safeParse(request);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    fail(`${issue?.path.join('.') || verb}: ${issue?.message ?? 'invalid request'}`);
  }
  return { request: checked.data, hostOptions: scan.host };
}

function verbOf(first: Token, words: Words, source: Source): Verb {
  const word = first.value.toLowerCase();
  // Phones capitalise the first word; `--help` and `-h` alone mean help.
  if (!isQuoted(first) && (word === '--help' || word === '-h')) return 'help';
  const verb = VERBS.find((v) => v === word);
  if (verb !== undefined) return verb;
  const suggestions = close(word, VERBS);
  if (suggestions.length > 0) fail(`unknown verb ${show(first.value)}${didYouMean(suggestions)}`, suggestions);
  const rest = words.rest().text;
  // `/clab router1 show version`: a node-like first word (router1, leaf-01, dc1/r3) followed by a command.
  if (NODE_NAME.test(first.value) && /[\d./-]/.test(first.value) && rest !== '' && !rest.startsWith('-')) {
    const example = commandLine(source, `exec ${first.value} ${rest}`);
    fail(`unknown verb ${show(first.value)}; to run a command on a node write ${show(example)}`, ['exec']);
  }
  fail(`unknown verb ${show(first.value)}; the verbs are ${orList(VERBS)}`);
}

function buildRequest(scan: Scan, source: Source): Request {
  switch (scan.verb) {
    case 'help':
      return buildHelp(scan);
    case 'labs':
    case 'whoami':
      noMoreWords(scan, 0);
      return { verb: scan.verb };
    case 'nodes': {
      noMoreWords(scan, 1);
      const selector = selectorOf(scan, scan.positionals[0]) ?? { all: true };
      const facts = scan.flags.has('--refresh') ? 'refresh' : scan.flags.has('--facts') ? 'cached' : undefined;
      return { verb: 'nodes', selector, ...(facts === undefined ? {} : { facts }) };
    }
    case 'graph':
      return buildGraph(scan, source);
    case 'exec':
      return buildExec(scan, source);
    case 'config':
      return buildConfig(scan);
    case 'render':
      return buildRender(scan);
    case 'rollback':
      return buildRollback(scan);
    case 'changes': {
      noMoreWords(scan, 0);
      const filter = CHANGE_FILTERS.find((f) => scan.flags.has(`--${f}`)) ?? 'pending';
      return { verb: 'changes', filter };
    }
    case 'change':
      return buildChange(scan);
    case 'backup':
      return buildBackup(scan);
    case 'drift': {
      noMoreWords(scan, 1);
      return { verb: 'drift', selector: selectorOf(scan, scan.positionals[0]) ?? { all: true } };
    }
    case 'history': {
      noMoreWords(scan, 1);
      const selector = selectorOf(scan, scan.positionals[0]);
      const limit = intFlag(scan, '--limit') ?? LIMITS.historyLimit.default;
      return selector === undefined ? { verb: 'history', limit } : { verb: 'history', selector, limit };
    }
    default:
      return scan.verb satisfies never;
  }
}

/** Refuses positional words beyond the first `allowed`. */
function noMoreWords(scan: Scan, allowed: number, why?: string): void {
  const extra = scan.positionals[allowed];
  if (extra === undefined) return;
  if (allowed === 0) fail(`${scan.verb} takes no words; unexpected ${show(extra.value)}`);
  fail(`unexpected word ${show(extra.value)}${why === undefined ? '' : `; ${why}`}`);
}

function buildHelp(scan: Scan): Request {
  noMoreWords(scan, 1);
  const word = scan.positionals[0]?.value.toLowerCase();
  if (word === undefined) return { verb: 'help' };
  const topic = word === 'selector' ? 'selectors' : HELP_TOPICS.find((t) => t === word);
  if (topic === undefined) {
    const suggestions = close(word, HELP_TOPICS);
    fail(`no help on ${show(word)}${suggestions.length > 0 ? didYouMean(suggestions) : `; topics are ${orList(HELP_TOPICS)}`}`, suggestions);
  }
  return { verb: 'help', topic: topic satisfies HelpTopic };
}

function buildGraph(scan: Scan, source: Source): Request {
  noMoreWords(scan, 1, 'graph takes a lab name or the nodes (router1,router2 or selector flags)');
  const selector = selectorOf(scan, scan.positionals[0]) ?? { all: true };
  const check = choiceFlag(scan, '--check', GRAPH_CHECKS);
  const output = choiceFlag(scan, '--output', GRAPH_OUTPUTS);
  const out = textFlag(scan, '--out');
  if (out !== undefined && source === 'slack') {
    fail('--out writes a file on the host that runs clab-bot; in Slack the picture is posted in the thread (drop --out)');
  }
  return {
    verb: 'graph',
    selector,
    ...(check === undefined ? {} : { check }),
    ...(output === undefined ? {} : { output }),
    ...(out === undefined ? {} : { out }),
  };
}

function buildExec(scan: Scan, source: Source): Request {
  const names = scan.positionals[0];
  const selector = selectorOf(scan, names);
  const example = show(commandLine(source, 'exec router1 show version'));
  if (selector === undefined) {
    if (scan.command !== undefined && scan.command.text !== '') {
      fail(`exec needs the nodes before the command: a name (exec router1 ${scan.command.text.slice(0, 40)}) or selector flags (exec --kind srl …)`);
    }
    fail(`exec needs nodes and a command, e.g. ${example}`);
  }
  const command = scan.command;
  if (command === undefined || command.text === '') fail(`exec needs a command after the nodes, e.g. ${example}`);
  if (!command.afterDashDash) refuseLateFlags(command.words);
  const format = choiceFlag(scan, '--format', EXEC_FORMATS) ?? 'text';
  const timeoutSec = intFlag(scan, '--timeout');
  return { verb: 'exec', selector, command: command.text, format, ...(timeoutSec === undefined ? {} : { timeoutSec }) };
}

/** exec options and selector flags clab-bot would have read, typed after the command words. */
const LATE_FLAGS = new Set([...flagsOf('exec').map((f) => f.name)].filter((n) => n !== '--all' && n !== '--help'));

/**
 * `exec r1 show version --format json`: the flag would go to the device. Refused with the fix,
 * because the user almost surely meant clab-bot's flag; `--` sends such a command as typed.
 */
function refuseLateFlags(words: readonly Token[]): void {
  for (const word of words) {
    if (!isFlagLike(word)) continue;
    const eq = word.value.indexOf('=');
    const name = eq === -1 ? word.value : word.value.slice(0, eq);
    if (LATE_FLAGS.has(name)) {
      fail(
        `${name} comes after the command words, so it would be sent to the device; put clab-bot's options before the command, or write -- before the command to send it as typed`,
      );
    }
  }
}

function buildConfig(scan: Scan): Request {
  noMoreWords(scan, 1, 'config reads the configuration from --file, --device-file or --rollback (without them, from a form in Slack or standard input)');
  const selector = requireSelector(scan, selectorOf(scan, scan.positionals[0]), 'config router1 --file router1.conf');
  const method = choiceFlag(scan, '--method', CONFIG_METHOD_CHOICES);
  const source = configSource(scan);
  if (source.type === 'rollback' && method !== undefined) {
    fail('--method does not apply to --rollback: a rollback always replaces the whole configuration');
  }
  const confirmMinutes = intFlag(scan, '--confirm');
  const check = textFlag(scan, '--check');
  const comment = textFlag(scan, '--comment');
  const dryRun = scan.flags.has('--dry-run');
  if (dryRun) {
    // These shape a commit; a dry run commits nothing, so accepting them silently would mislead.
    const commitOnly = [confirmMinutes !== undefined && '--confirm', check !== undefined && '--check', comment !== undefined && '--comment'].filter(Boolean);
    if (commitOnly.length > 0)
      fail(
        `${commitOnly.join(', ')} ${commitOnly.length > 1 ? 'apply' : 'applies'} only to a change that commits; drop ${commitOnly.length > 1 ? 'them' : 'it'} or drop --dry-run`,
      );
  }
  return {
    verb: 'config',
    selector,
    source,
    method: method ?? 'merge',
    dryRun,
    ...(confirmMinutes === undefined ? {} : { confirmMinutes }),
    ...(check === undefined ? {} : { check }),
    ...(comment === undefined ? {} : { comment }),
  };
}

/** `render SELECTOR --template T [--var K=V ...]`. */
function buildRender(scan: Scan): Request {
  noMoreWords(scan, 1, 'render takes the nodes, --template and --var');
  const selector = requireSelector(scan, selectorOf(scan, scan.positionals[0]), 'render router1 --template ospf.j2');
  const template = textFlag(scan, '--template');
  if (template === undefined) fail('render needs --template PATH: the template to render, in the lab directory or configs_dir');
  return { verb: 'render', selector, template, vars: varPairs(scan) };
}

function configSource(scan: Scan): RequestConfigSource {
  const template = textFlag(scan, '--template');
  if (template !== undefined) return { type: 'template', path: template, vars: varPairs(scan) };
  if (scan.lists.has('--var')) fail('--var goes with --template: it sets a template variable');
  const file = textFlag(scan, '--file');
  if (file !== undefined) return { type: 'file', path: file };
  const deviceFile = textFlag(scan, '--device-file');
  if (deviceFile !== undefined) return { type: 'device-file', path: deviceFile };
  const index = intFlag(scan, '--rollback');
  if (index !== undefined) return { type: 'rollback', index };
  return { type: 'inline' };
}

function buildRollback(scan: Scan): Request {
  const flagged = hasSelectorFlag(scan);
  const [first, second] = scan.positionals;
  noMoreWords(scan, flagged ? 1 : 2);
  const selector = requireSelector(scan, selectorOf(scan, flagged ? undefined : first), 'rollback router1');
  const indexWord = flagged ? first : second;
  if (indexWord === undefined) return { verb: 'rollback', selector, index: 1 };
  const max = LIMITS.rollbackIndex.max;
  const raw = indexWord.value.trim();
  if (/^0+$/.test(raw)) fail('rollback 0 is the active configuration, so there is nothing to go back to; 1 is the configuration before the last commit');
  if (!/^\d+$/.test(raw) && flagged) {
    fail(`the rollback number must be a whole number from 1 to ${max}; got ${show(indexWord.value)} (with selector flags, name nodes with --nodes)`);
  }
  return { verb: 'rollback', selector, index: intValue(raw, 'the rollback number', 1, max) };
}

function buildChange(scan: Scan): Request {
  noMoreWords(scan, 2);
  const [idWord, actionWord] = scan.positionals;
  if (idWord === undefined) fail('change needs the number of a change request, e.g. "change 42" or "change 42 approve"');
  const digits = idWord.value.trim().replace(/^#/, '');
  if (!/^\d{1,15}$/.test(digits) || Number(digits) < 1) {
    fail(`a change ID is a number like 42 or #42; got ${show(idWord.value)}`);
  }
  const id = Number(digits);
  const action = actionWord === undefined ? undefined : choiceValue(actionWord.value, 'the action', CHANGE_ACTIONS);
  const outcome = CHANGE_OUTCOMES.find((o) => scan.flags.has(`--${o}`));
  const reason = textFlag(scan, '--reason');
  if (action !== 'resolve') {
    const given = [outcome !== undefined && `--${outcome}`, reason !== undefined && '--reason'].filter(Boolean);
    if (given.length > 0)
      fail(`${given.join(' and ')} go${given.length > 1 ? '' : 'es'} with resolve: change ${id} resolve --committed|--not-committed [--reason TEXT]`);
    return action === undefined ? { verb: 'change', id } : { verb: 'change', id, action };
  }
  if (outcome === undefined) {
    fail(`change ${id} resolve needs what you found on the devices: --committed (they hold the change) or --not-committed (they do not)`);
  }
  return { verb: 'change', id, action, outcome, ...(reason === undefined ? {} : { reason }) };
}

/**
 * `backup [SELECTOR]`, `backup list|show|diff NODE [VERSION...]`, `backup export SELECTOR --dir DIR`.
 * The action is the first word when it is one of the words (a node called `list` is `--node list`).
 */
function buildBackup(scan: Scan): Request {
  const [first, ...rest] = scan.positionals;
  const named = first !== undefined && !isQuoted(first) ? BACKUP_ACTIONS.find((a) => a !== 'save' && a === first.value.toLowerCase()) : undefined;
  const action = named ?? 'save';
  const words = named === undefined ? scan.positionals : rest;
  const flagged = hasSelectorFlag(scan);
  const nodeWord = flagged ? undefined : words[0];
  const versionWords = flagged ? words : words.slice(1);
  const dir = textFlag(scan, '--dir');
  if (action !== 'export' && dir !== undefined) fail('--dir goes with `backup export SELECTOR --dir DIR`');
  const maxVersions = action === 'show' ? 1 : action === 'diff' ? 2 : 0;
  const extra = versionWords[maxVersions];
  if (extra !== undefined) {
    fail(
      maxVersions === 0
        ? `unexpected word ${show(extra.value)}; backup ${action === 'save' ? '' : `${action} `}takes the nodes${action === 'save' ? ' (router1,router2 or selector flags)' : ''} and no version`
        : `unexpected word ${show(extra.value)}; backup ${action} takes a node and at most ${maxVersions === 1 ? 'one version' : 'two versions'}`,
    );
  }
  const versions = versionWords.map((w) => intValue(w.value.replace(/^v/i, ''), 'a backup version', LIMITS.backupVersion.min, LIMITS.backupVersion.max));
  const selector = selectorOf(scan, nodeWord);
  if (action === 'save') return { verb: 'backup', action, selector: selector ?? { all: true }, versions: [] };
  if (selector === undefined) {
    const example = action === 'export' ? 'backup export --lab dc1 --dir ./saved' : `backup ${action} router1`;
    fail(`backup ${action} needs ${action === 'export' ? 'the nodes' : 'a node'}, e.g. ${example}`);
  }
  if (action === 'export') {
    if (dir === undefined) fail('backup export needs --dir DIR: the directory to write <lab>/<node>.cfg files into');
    return { verb: 'backup', action, selector, versions: [], dir };
  }
  return { verb: 'backup', action, selector, versions };
}

function requireSelector(scan: Scan, selector: RequestSelector | undefined, example: string): RequestSelector {
  if (selector !== undefined) return selector;
  fail(`${scan.verb} needs the nodes: a name (${example}) or selector flags (--lab, --kind, --label, --group, --all)`);
}
