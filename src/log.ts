import { createRequire } from 'node:module';
import type * as Pino from 'pino';
import { redactObject, redactText } from './redact/index.js';

/** The calls clab-bot makes on a logger: pino's, so lines and their format are pino's. */
export interface Logger {
  readonly trace: Pino.LogFn;
  readonly debug: Pino.LogFn;
  readonly info: Pino.LogFn;
  readonly warn: Pino.LogFn;
  readonly error: Pino.LogFn;
  readonly fatal: Pino.LogFn;
  child(bindings: Pino.Bindings): Logger;
}

type Method = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
const LEVELS: Readonly<Record<Method | 'silent', number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };
const METHODS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

/**
 * pino itself, loaded on the first line actually written: a one-shot command at the default
 * level `error` usually writes none and never pays for loading it (tens of milliseconds).
 */
let pinoModule: typeof Pino | undefined;
const loadPino = (): typeof Pino => (pinoModule ??= createRequire(import.meta.url)('pino') as typeof Pino);

const noop: Pino.LogFn = () => undefined;

/** A logger at `threshold` whose pino logger is made by `make` when a line at an enabled level comes. */
function lazyLogger(threshold: number, make: () => Pino.Logger): Logger {
  let real: Pino.Logger | undefined;
  const get = () => (real ??= make());
  const method = (name: Method): Pino.LogFn => (LEVELS[name] >= threshold ? (...args: Parameters<Pino.LogFn>) => get()[name](...args) : noop);
  const [trace, debug, info, warn, error, fatal] = METHODS.map(method) as [Pino.LogFn, Pino.LogFn, Pino.LogFn, Pino.LogFn, Pino.LogFn, Pino.LogFn];
  return { trace, debug, info, warn, error, fatal, child: (bindings) => lazyLogger(threshold, () => get().child(bindings)) };
}

/**
 * The process logger: JSON lines on stderr (stdout belongs to command output), every message
 * and every field passed through secret redaction before it is written.
 */
export function createLogger(level: string, destination: NodeJS.WritableStream = process.stderr): Logger {
  // pino's own check and message, at once rather than on the first line.
  if (!Object.hasOwn(LEVELS, level)) throw new Error(`unknown level ${level}`);
  return lazyLogger(LEVELS[level as Method | 'silent'], () => {
    const { pino } = loadPino();
    return pino(
      {
        level,
        base: { app: 'clab-bot' },
        timestamp: pino.stdTimeFunctions.isoTime,
        hooks: {
          logMethod(args, method) {
            const redacted = args.map((a) => (typeof a === 'string' ? redactText(a) : redactObject(a))) as Parameters<typeof method>;
            return method.apply(this, redacted);
          },
        },
        serializers: {
          err: (e: unknown) => redactObject(pino.stdSerializers.err(e as Error)),
        },
      },
      destination as Pino.DestinationStream,
    );
  });
}

/** A logger that writes nothing (tests, --quiet). */
export const silentLogger: Logger = createLogger('silent');
