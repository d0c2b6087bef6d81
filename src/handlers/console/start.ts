import { createApp, type App } from '../../app.js';
import { SettingsError, UsageError } from '../../errors.js';
import { createLogger } from '../../log.js';
import { terminalSubject, type Subject } from '../../permissions/subject.js';
import { recoveryNote, warningLine } from '../../render/terminal.js';
import type { Settings } from '../../settings.js';
import { safeUser, type TerminalIo } from '../terminal/one-shot.js';
import { runConsole } from './console.js';
import { historyPath } from './history.js';
import { colorWanted } from '../../render/color.js';

export interface StartConsoleOptions {
  readonly settings: Settings;
  readonly io: TerminalIo;
  /** Lab paths replacing settings.labs (`--labs`). */
  readonly labs?: readonly string[];
  /** `--as user:U…`: the policy user to act as, instead of settings `terminal_subject`. */
  readonly as?: string | undefined;
  /** `--no-color`. */
  readonly noColor?: boolean;
  /** Printed before the first prompt, built once the inventory is loaded. */
  readonly intro?: (app: App) => string;
  /** Default: CLAB_BOT_HISTORY or ~/.clab-bot_history. */
  readonly historyFile?: string | undefined;
}

/**
 * Builds the app from settings, opens the console on the terminal (or on piped stdin) and closes
 * everything when the user leaves. Returns the console's exit code.
 */
export async function startConsole(o: StartConsoleOptions): Promise<number> {
  const { io } = o;
  ignoreClosedOutput(io);
  const subject = consoleSubject(o.as ?? o.settings.terminalSubject, o.as !== undefined);
  const app = await createApp(o.settings, {
    logger: createLogger(io.env.CLAB_BOT_LOG_LEVEL ?? 'error', io.stderr),
    watch: true,
    ...(o.labs && o.labs.length > 0 ? { labs: o.labs } : {}),
  });
  try {
    for (const w of app.inventory.warnings()) io.stderr.write(`${warningLine(w)}\n`);
    // Changes a killed console or CLI left `applying` are resolved before the first prompt.
    for (const c of await app.recoverChanges()) if (c.state !== 'expired') io.stderr.write(`${recoveryNote(c)}\n`);
    const interactive = io.stdin.isTTY === true && io.stdout.isTTY === true;
    return await runConsole({
      app,
      subject,
      actorName: safeUser(),
      io,
      interactive,
      color: colorWanted({ isTty: interactive, noColorFlag: o.noColor === true, env: io.env }),
      historyFile: 'historyFile' in o ? o.historyFile : historyPath(io.env),
      // The banner is for a person; a script's output stays just the results.
      intro: interactive ? o.intro?.(app) : undefined,
    });
  } finally {
    await holdingSignals(() => app.close());
  }
}

const EXIT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Runs cleanup with the default signal action held off. The console's own handlers are gone by
 * then, and a hang-up (the terminal closing) or a late Ctrl-C would otherwise kill the process
 * half-way, leaving sessions, simulators and files behind.
 */
export async function holdingSignals<T>(cleanup: () => Promise<T>): Promise<T> {
  const ignore = () => undefined;
  for (const s of EXIT_SIGNALS) process.on(s, ignore);
  try {
    return await cleanup();
  } finally {
    for (const s of EXIT_SIGNALS) process.off(s, ignore);
  }
}

/** The terminal's subject; a bad `--as` is the user's typing, a bad `terminal_subject` a setting. */
function consoleSubject(binding: string | undefined, fromFlag: boolean): Subject {
  const user = safeUser();
  try {
    return terminalSubject(binding, { id: `terminal:${user}`, displayName: user });
  } catch (err) {
    if (fromFlag && err instanceof SettingsError) {
      throw new UsageError(`--as ${binding}: not a Slack user`, { hint: 'write --as user:U… with the member ID from the Slack profile' });
    }
    throw err;
  }
}

/**
 * A terminal that went away (SIGHUP) or a pipe whose reader quit (`| head`) makes writes fail with
 * EIO/EPIPE; there is no one left to tell, and the console must still close its sessions (and the
 * demo its simulators), so those two are dropped. Anything else still surfaces.
 */
function ignoreClosedOutput(io: TerminalIo): void {
  for (const stream of [io.stdout, io.stderr]) {
    if (stream.listenerCount('error') > 0) continue;
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EIO' || err.code === 'EPIPE') return;
      throw err;
    });
  }
}
