import type { App } from '../../app.js';
import { asClabBotError } from '../../errors.js';
import { describeUsageError, formatRequest, parse, type Request } from '../../grammar/index.js';
import type { RequestContext } from '../../ops/request-runner.js';
import type { RequestResult } from '../../ops/results.js';
import type { Subject } from '../../permissions/subject.js';
import { resultJson } from '../../render/json.js';
import { redactText } from '../../redact/index.js';
import { renderTerminal } from '../../render/terminal.js';
import { exitCodeForError, exitCodeForResult } from '../../exit-codes.js';
import { wantsGraphFile, writeGraphOutput } from '../terminal/graph-output.js';
import type { TerminalIo } from '../terminal/one-shot.js';
import { approvalOffer } from './approval.js';
import { completeLine, OUTPUT_CHOICES, OUTPUT_FLAG } from './completion.js';
import { CommandHistory } from './history.js';
import { ScriptedInput, TtyInput, type LineInput, PASTE_END } from './line-input.js';
import { ProgressLine } from './progress.js';

export interface ConsoleOptions {
  readonly app: App;
  /** Who the policy sees: the trusted terminal, or the user of `terminal_subject` / `--as`. */
  readonly subject: Subject;
  /** The OS user, for the audit log. */
  readonly actorName: string;
  readonly io: TerminalIo;
  /** Line editing, Tab completion, history and the progress line: stdin and stdout are terminals. */
  readonly interactive: boolean;
  readonly color: boolean;
  /** Where the history is kept; undefined keeps it in memory only. */
  readonly historyFile: string | undefined;
  /** Printed once before the first prompt (the demo's tour). */
  readonly intro?: string | undefined;
  readonly prompt?: string;
}

/** Flags the console takes on any line, on top of the grammar. */
const LINE_FLAGS = { [OUTPUT_FLAG.name]: 'value' } as const;
const OUTPUTS = OUTPUT_CHOICES;
type Output = (typeof OUTPUTS)[number];

export const CONSOLE_HELP = `
console:
  type commands without the clab-bot prefix; Tab completes verbs, flags, node names and kinds
  Up/Down walk the history; Ctrl-C cancels a running request
  config without --file/--device-file/--rollback reads pasted lines until a line holding only "${PASTE_END}" (or Ctrl-D)
  a proposed change (config without --dry-run, rollback) asks "approve? [y/N]" when you may approve it
  --output table|json on a line changes how its result is shown
  clear clears the screen
  exit, quit, Ctrl-D, or Ctrl-C twice at an empty prompt leave the console`;

const EXIT_HINT = '(to leave: Ctrl-C again, Ctrl-D or exit)';
/** How long a request runs before the progress line shows without knowing its targets. */
const PROGRESS_DELAY_MS = 300;

/**
 * The interactive terminal front end: the same grammar and core as `/clab` and `clab-bot VERB`,
 * one line at a time. With a terminal it edits lines (history, Tab completion), colours the
 * output and shows progress; with piped input it runs the lines in order, prints plain text and
 * ends at EOF. Returns the exit code: 0 when the user leaves; for piped input the worst code of
 * the lines run (0 ok, 1 a node failed, 2 usage or permission); 130 after SIGINT/SIGTERM.
 */
export async function runConsole(o: ConsoleOptions): Promise<number> {
  return new ConsoleSession(o).run();
}

class ConsoleSession {
  readonly #o: ConsoleOptions;
  readonly #input: LineInput;
  readonly #progress: ProgressLine | undefined;
  /** The request running now; aborted by Ctrl-C. */
  #running: AbortController | undefined;
  /** Set while the running request commits an approved change: past the point of no return. */
  #committing = false;
  #toldNoReturn = false;
  #stopped = false;
  #signalled = false;
  /** Settles when the session is stopped, so a request that ignores cancellation cannot hold the exit. */
  readonly #whenStopped: Promise<undefined>;
  #resolveStopped: (v: undefined) => void = () => undefined;

  constructor(o: ConsoleOptions) {
    this.#o = o;
    this.#whenStopped = new Promise((resolve) => (this.#resolveStopped = resolve));
    const nodes = () => o.app.inventory.nodes();
    this.#input = o.interactive
      ? new TtyInput({
          stdin: o.io.stdin,
          stdout: o.io.stdout,
          completer: (line: string) => completeLine(line, { nodes }),
          history: new CommandHistory(o.historyFile, o.app.logger),
          exitHint: EXIT_HINT,
        })
      : new ScriptedInput(o.io.stdin);
    const unicode = /utf-?8/i.test(o.io.env.LC_ALL ?? o.io.env.LC_CTYPE ?? o.io.env.LANG ?? '');
    this.#progress = o.interactive ? new ProgressLine(o.io.stderr, { unicode }) : undefined;
  }

  async run(): Promise<number> {
    const onSigint = () => this.#interrupt();
    // SIGTERM, and SIGHUP when the terminal goes away: leave as cleanly as on `exit`.
    const onSigterm = () => this.#stop();
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigterm);
    process.on('SIGHUP', onSigterm);
    let worst = 0;
    try {
      if (this.#o.intro) this.#o.io.stdout.write(`${this.#o.intro}\n`);
      const prompt = this.#o.prompt ?? 'clab-bot> ';
      for (;;) {
        if (this.#stopped) break;
        const read = await this.#input.next(this.#o.color ? `\x1b[1m${prompt}\x1b[22m` : prompt);
        if (read.type !== 'line') break;
        const line = read.line.trim();
        if (line === '' || line.startsWith('#')) continue;
        if (line === 'exit' || line === 'quit') break;
        if (line === 'clear') {
          // Erase the screen and scrollback, cursor home; a script's output is left alone.
          if (this.#o.interactive) this.#o.io.stdout.write('\x1b[H\x1b[2J\x1b[3J');
          continue;
        }
        const code = await this.#runLine(line);
        worst = Math.max(worst, code);
      }
    } finally {
      this.#progress?.stop();
      this.#input.close();
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
      process.off('SIGHUP', onSigterm);
    }
    if (this.#signalled) return 130;
    return this.#o.interactive ? 0 : worst;
  }

  /**
   * SIGINT. At a terminal (Ctrl-C while a request runs) it cancels the request, and a second one
   * leaves; while a commit is in flight it says it cannot be called back, and a second one leaves.
   * For a script it ends the run at once, like for any command-line tool.
   */
  #interrupt(): void {
    const running = this.#running;
    if (this.#o.interactive && running && this.#committing && !this.#toldNoReturn) {
      // An apply once started runs to the end on every node: say so rather than "cancelling".
      this.#toldNoReturn = true;
      this.#o.io.stderr.write(
        '\nCtrl-C: the commit is already on its way to the devices and cannot be called back; waiting for them to answer so the change ends committed or failed (Ctrl-C again leaves; the next clab-bot command then resolves the change)\n',
      );
      return;
    }
    if (this.#o.interactive && running && !this.#committing && !running.signal.aborted) {
      running.abort(new Error('cancelled by Ctrl-C'));
      this.#progress?.relabel('cancelling');
      if (!this.#progress?.active) this.#o.io.stderr.write('\ncancelling: queued nodes are skipped, running ones are closed (Ctrl-C again to leave)\n');
      return;
    }
    this.#stop();
  }

  #stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#signalled = true;
    this.#running?.abort(new Error('the console is closing'));
    this.#input.stop();
    this.#resolveStopped(undefined);
  }

  async #runLine(raw: string): Promise<number> {
    const { stderr } = this.#o.io;
    const text = raw.replace(/^(?:clab-bot|\/clab)(?:\s+|$)/, '');
    const parsed = parse(text, { source: 'console', hostFlags: LINE_FLAGS });
    if (!parsed.ok) {
      stderr.write(`${describeUsageError(parsed.error)}\n`);
      return 2;
    }
    const output = parsed.hostOptions['--output'] ?? 'text';
    if (typeof output !== 'string' || !(OUTPUTS as readonly string[]).includes(output)) {
      stderr.write(`--output must be one of ${OUTPUTS.join(', ')}\n`);
      return 2;
    }
    const request = parsed.request;
    let result = await this.#execute(request);
    if (result === undefined) return 130;
    if (result.kind === 'needs-config') {
      const pasted = await this.#readPaste();
      if (pasted === undefined) {
        stderr.write('config cancelled: nothing was planned\n');
        return 2;
      }
      result = await this.#execute(request, { inlineConfig: pasted });
      if (result === undefined) return 130;
    }
    if (wantsGraphFile(result)) {
      try {
        await writeGraphOutput(result, this.#o.io);
      } catch (err) {
        const e = asClabBotError(err);
        stderr.write(`error: ${e.message}\n${e.hint === undefined ? '' : `hint: ${e.hint}\n`}`);
        return exitCodeForError(e);
      }
      return exitCodeForResult(result);
    }
    this.#print(result, output as Output, request);
    if (result.kind === 'change' && (result.event === 'proposed' || result.event === 'rollback-proposed')) {
      return this.#offerApproval(result, output as Output);
    }
    return exitCodeForResult(result);
  }

  /** After a proposal: `approve? [y/N]` when this user may approve it, else who must. */
  async #offerApproval(proposed: Extract<RequestResult, { kind: 'change' }>, output: Output): Promise<number> {
    const { stdout, stderr } = this.#o.io;
    const change = proposed.change;
    const offer = approvalOffer(change, this.#o.app.policy(), this.#o.subject, this.#o.app.inventory.nodes());
    if (offer === undefined) return exitCodeForResult(proposed);
    if (offer.type === 'tell') {
      stderr.write(`${offer.text}\n`);
      return 0;
    }
    // A script's next line is a command, never an answer: it approves with `change ID approve`.
    const answer = this.#o.interactive ? await this.#input.ask(offer.question) : undefined;
    if (answer === undefined || !/^y(es)?$/i.test(answer.trim())) {
      if (this.#o.interactive) {
        stdout.write(
          `not committed; change ${change.ref} stays planned until ${change.expiresAt.slice(11, 16)} UTC: change ${change.id} approve | change ${change.id} cancel\n`,
        );
      }
      return 0;
    }
    const approve: Request = { verb: 'change', id: change.id, action: 'approve' };
    const result = await this.#execute(approve, { changeVersion: change.version });
    if (result === undefined) return 130;
    this.#print(result, output, approve);
    return exitCodeForResult(result);
  }

  /** Runs one request through the core with cancellation and progress; undefined if the console stopped meanwhile. */
  async #execute(request: Request, extra: { inlineConfig?: string; changeVersion?: number } = {}): Promise<RequestResult | undefined> {
    const abort = new AbortController();
    this.#running = abort;
    this.#committing = request.verb === 'change' && request.action === 'approve';
    const progress = this.#progress;
    // Work that does not report its targets (approving a change commits on its nodes) still gets a
    // spinner; quick answers (nodes, help) finish before it would show.
    const early = setTimeout(() => progress?.start(label(request), 0), PROGRESS_DELAY_MS);
    const ctx: RequestContext = {
      subject: this.#o.subject,
      actorName: this.#o.actorName,
      source: 'console',
      signal: abort.signal,
      localFilesFrom: this.#o.io.cwd,
      ...extra,
      onStart: ({ targets }) => {
        clearTimeout(early);
        progress?.start(label(request), targets.length);
      },
      onOutcome: (outcome, done, total) => progress?.update(done, total, outcome.status !== 'ok'),
    };
    try {
      return await Promise.race([this.#o.app.runner.run(request, ctx), this.#whenStopped]);
    } catch (err) {
      // The runner returns failures as results; anything thrown here is a bug worth its stack.
      const e = asClabBotError(err);
      this.#o.app.logger.error({ err }, 'console request failed');
      return { kind: 'error', error: e };
    } finally {
      clearTimeout(early);
      progress?.stop();
      this.#running = undefined;
      this.#committing = false;
      this.#toldNoReturn = false;
    }
  }

  async #readPaste(): Promise<string | undefined> {
    if (this.#o.interactive) {
      this.#o.io.stderr.write(`paste the configuration, then a line holding only "${PASTE_END}" (or Ctrl-D); Ctrl-C cancels:\n`);
    }
    return this.#input.paste();
  }

  #print(result: RequestResult, output: Output, request: Request): void {
    const { stdout, stderr } = this.#o.io;
    if (output === 'json') {
      stdout.write(`${JSON.stringify(resultJson(result), null, 2)}\n`);
      return;
    }
    let text = renderTerminal(result, output, { color: this.#o.color, source: 'console' });
    if (result.kind === 'help' && request.verb === 'help' && request.topic === undefined) text += `\n${CONSOLE_HELP}`;
    const toErr = result.kind === 'usage' || result.kind === 'denied' || result.kind === 'error';
    (toErr ? stderr : stdout).write(`${text}\n`);
  }
}

/** What the progress line says is running: `exec show version`, `config --dry-run`. */
function label(request: Request): string {
  const words = redactText(formatRequest(request));
  return words.length > 60 ? `${words.slice(0, 57)}...` : words;
}
