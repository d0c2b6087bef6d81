import { userInfo } from 'node:os';
import { createApp, type App } from '../../app.js';
import { asClabBotError } from '../../errors.js';
import { describeUsageError, parseArgv, renderHelp } from '../../grammar/index.js';
import type { Request } from '../../grammar/request.js';
import { createLogger } from '../../log.js';
import { terminalSubject } from '../../permissions/subject.js';
import { resultJson } from '../../render/json.js';
import { recoveryNote, renderTerminal, warningLine } from '../../render/terminal.js';
import { EXIT_CODES_HELP, exitCodeForError, exitCodeForResult } from '../../exit-codes.js';
import { loadSettings, type Settings } from '../../settings.js';
import { wantsGraphFile, writeGraphOutput } from './graph-output.js';
import { TERMINAL_HOST_FLAGS, takeLabs, terminalOptions, type TerminalOptions } from './host-options.js';

export interface TerminalIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export const processIo = (): TerminalIo => ({ stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() });

/**
 * `clab-bot VERB ...` for the grammar's verbs: parse with the shared grammar, run through the
 * same core as Slack, print text/table/JSON. Returns the exit code (exit-codes.ts).
 */
export async function runTerminalVerb(argv: readonly string[], io: TerminalIo = processIo()): Promise<number> {
  let opts: TerminalOptions;
  let request: Request;
  try {
    const { labs, rest } = takeLabs(argv);
    const parsed = parseArgv(rest, { source: 'terminal', hostFlags: TERMINAL_HOST_FLAGS });
    if (!parsed.ok) {
      io.stderr.write(`${describeUsageError(parsed.error)}\n`);
      return 2;
    }
    request = parsed.request;
    opts = terminalOptions(labs, parsed.hostOptions, io.stdout.isTTY === true, io.env);
  } catch (err) {
    return printFatal(err, io);
  }
  if (request.verb === 'help') {
    io.stdout.write(`${renderHelp({ ...(request.topic ? { topic: request.topic } : {}), source: 'terminal' })}\n${TERMINAL_FLAGS_HELP}\n`);
    return 0;
  }

  let app: App | undefined;
  const abort = new AbortController();
  let interrupts = 0;
  /** Set while an approved change commits: past the point of no return, a signal cannot cancel it. */
  let committing = false;
  // Ctrl-C, `kill` (TERM) and a closed terminal (HUP) alike: stop cleanly, never mid-write.
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts += 1;
    const word = signal === 'SIGINT' ? 'Ctrl-C' : signal;
    if (interrupts > 1) process.exit(signal === 'SIGINT' ? 130 : 128 + (signal === 'SIGTERM' ? 15 : 1));
    if (committing) {
      io.stderr.write(
        `\n${word}: the commit is already on its way to the devices and cannot be called back; waiting for them to answer so the change ends committed or failed (${word} again quits now; the next clab-bot command then resolves the change)\n`,
      );
      return;
    }
    io.stderr.write(`\ncancelling (${word}): queued nodes are skipped, running ones are closed (again to quit now)\n`);
    abort.abort(new Error(`cancelled by ${word}`));
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const s of signals) process.on(s, onSignal);
  try {
    const settings = settingsFor(opts, io);
    app = await createApp(settings, {
      logger: createLogger(io.env.CLAB_BOT_LOG_LEVEL ?? 'error', io.stderr),
      ...(opts.labs.length > 0 ? { labs: opts.labs } : {}),
    });
    // A change left `applying` by a process that died (killed mid-commit) is resolved before any
    // change verb runs, so it never blocks its nodes or answers "being applied right now".
    if (TOUCHES_CHANGES.has(request.verb)) {
      for (const c of await app.recoverChanges()) if (c.state !== 'expired') io.stderr.write(`${recoveryNote(c)}\n`);
    }
    // Bad lab files never stop the command; say which ones were skipped (`labs` lists them itself).
    if (request.verb !== 'labs') for (const w of app.inventory.warnings()) io.stderr.write(`${warningLine(w)}\n`);
    const subject = terminalSubject(settings.terminalSubject, { id: `terminal:${safeUser()}`, displayName: safeUser() });
    const inlineConfig = request.verb === 'config' && request.source.type === 'inline' ? await readStdinConfig(io) : undefined;
    const ctx = { subject, actorName: safeUser(), source: 'terminal' as const, signal: abort.signal, localFilesFrom: io.cwd };
    let result = await app.runner.run(request, { ...ctx, ...(inlineConfig !== undefined ? { inlineConfig } : {}) });
    let diffsShown = false;
    // `config` without --dry-run from a terminal: show the plan, then commit after a typed yes (or --yes).
    if (
      result.kind === 'change' &&
      (result.event === 'proposed' || result.event === 'rollback-proposed') &&
      result.change.state === 'planned' &&
      result.change.approvable
    ) {
      const change = result.change;
      if (opts.output !== 'json') io.stdout.write(`${renderTerminal(result, opts.output, { color: opts.color })}\n`);
      const go = opts.yes || (inlineConfig === undefined && (await confirm(io, `commit change ${change.ref} on ${change.targets.length} node(s)? [y/N] `)));
      if (!go) {
        if (opts.output === 'json') io.stdout.write(`${JSON.stringify(resultJson(result), null, 2)}\n`);
        else
          io.stdout.write(
            `not committed; the change stays planned until ${change.expiresAt.slice(11, 16)} UTC: clab-bot change ${change.id} approve | cancel\n`,
          );
        return 0;
      }
      committing = true;
      result = await app.runner.run({ verb: 'change', id: change.id, action: 'approve' }, { ...ctx, changeVersion: change.version });
      committing = false;
      diffsShown = true;
    }
    if (wantsGraphFile(result)) await writeGraphOutput(result, io);
    else if (opts.output === 'json') io.stdout.write(`${JSON.stringify(resultJson(result), null, 2)}\n`);
    else {
      const text = renderTerminal(result, opts.output, { color: opts.color, diffsShown });
      const toErr = result.kind === 'usage' || result.kind === 'denied' || result.kind === 'error';
      (toErr ? io.stderr : io.stdout).write(`${text}\n`);
    }
    return exitCodeForResult(result);
  } catch (err) {
    return printFatal(err, io);
  } finally {
    for (const s of signals) process.off(s, onSignal);
    // The process ends next: the devices are told the sessions end, without waiting for their answer.
    await app?.close({ exiting: true });
  }
}

/** Verbs that read or move changes: recovery runs before them. */
const TOUCHES_CHANGES: ReadonlySet<string> = new Set(['config', 'rollback', 'changes', 'change']);

export function settingsFor(opts: { config: string | undefined; db: string | undefined }, io: Pick<TerminalIo, 'env' | 'cwd'>): Settings {
  const env = opts.db ? { ...io.env, CLAB_BOT_DB: opts.db } : io.env;
  return loadSettings({ env, cwd: io.cwd, ...(opts.config ? { configPath: opts.config } : {}) });
}

/** Config text for `config` without a source: piped stdin, or typed/pasted until Ctrl-D. */
async function readStdinConfig(io: TerminalIo): Promise<string> {
  if (io.stdin.isTTY) io.stderr.write('paste the configuration, then Ctrl-D on an empty line:\n');
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

/** Asks a yes/no question on the terminal; anything but y/yes (or no terminal at all) is no. */
async function confirm(io: TerminalIo, question: string): Promise<boolean> {
  if (!io.stdin.isTTY) {
    io.stderr.write('no terminal to confirm on: pass --yes to commit from a script\n');
    return false;
  }
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: io.stdin, output: io.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

function printFatal(err: unknown, io: TerminalIo): number {
  const e = asClabBotError(err);
  io.stderr.write(`error: ${e.message}\n${e.hint ? `hint: ${e.hint}\n` : ''}`);
  if (e.code === 'internal' && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
  return exitCodeForError(e);
}

/** The OS user name for audit rows and change records (`unknown` when the system cannot say). */
export function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export const TERMINAL_FLAGS_HELP = `
terminal options (any verb):
  --labs PATH          a lab directory (scanned for clab-*/topology-data.json and *.clab.yml) or one file; repeatable (default: CLAB_LABS, settings labs:)
  --output FORMAT      text (default), table or json
  --config FILE        settings file (default: CLAB_BOT_CONFIG or ./clab-bot.yaml)
  --db URL             sqlite:PATH or postgres://... (default: CLAB_BOT_DB, settings db:, else ~/.local/state/clab-bot/clab-bot.db)
  --yes                do not ask before committing (scripts)
  --no-color           plain output
${EXIT_CODES_HELP}`;
