import { pino, type Logger } from 'pino';
import { redactObject, redactText } from './redact/index.js';

export type { Logger };

/**
 * The process logger: JSON lines on stderr (stdout belongs to command output), every message
 * and every field passed through secret redaction before it is written.
 */
export function createLogger(level: string, destination: NodeJS.WritableStream = process.stderr): Logger {
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
    destination as pino.DestinationStream,
  );
}

/** A logger that writes nothing (tests, --quiet). */
export const silentLogger: Logger = pino({ level: 'silent' });
