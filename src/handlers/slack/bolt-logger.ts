import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../log.js';

const LEVELS: readonly LogLevel[] = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];

/**
 * The Slack SDK's Logger over clab-bot's pino logger, so SDK lines (reconnects, retries, 429s) land
 * in the same redacted JSON log. The SDK passes several values per line; they are joined.
 */
export function boltLogger(logger: Logger, level: LogLevel = LogLevel.WARN): BoltLogger {
  const child = logger.child({ component: 'slack-sdk' });
  let current = level;
  const enabled = (l: LogLevel) => LEVELS.indexOf(l) >= LEVELS.indexOf(current);
  const line = (msg: unknown[]) => msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : safeJson(m))).join(' ');
  return {
    debug: (...msg: unknown[]) => enabled(LogLevel.DEBUG) && child.debug(line(msg)),
    info: (...msg: unknown[]) => enabled(LogLevel.INFO) && child.info(line(msg)),
    warn: (...msg: unknown[]) => enabled(LogLevel.WARN) && child.warn(line(msg)),
    error: (...msg: unknown[]) => enabled(LogLevel.ERROR) && child.error(line(msg)),
    setLevel: (l: LogLevel) => {
      current = l;
    },
    getLevel: () => current,
    setName: () => undefined,
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
