/**
 * Neither Docker's exec API nor OpenSSH's exec channel can stop a program reliably (Docker has no
 * exec kill; OpenSSH ignores signal requests in many builds). So every program starts through a
 * fixed wrapper that prints its pid on stderr before exec'ing it; on timeout or cancellation the
 * transport runs killArgv(pid) next to it. The user's argv are positional parameters of the wrapper,
 * never part of its script.
 */
export const PID_MARK = 'clab-bot-exec-pid ';

/** Prepend to argv: `/bin/sh -c 'echo "MARK$$" >&2; exec "$@"' sh ARGV...`. */
export const WRAPPER: readonly string[] = ['/bin/sh', '-c', `echo "${PID_MARK}$$" >&2; exec "$@"`, 'sh'];

export function killArgv(pid: number): string[] {
  return ['/bin/sh', '-c', 'kill -KILL "$1" 2>/dev/null; exit 0', 'sh', String(pid)];
}

/** The pid the wrapper printed, if it got that far. */
export function pidFrom(stderr: string): number | undefined {
  const line = stderr.split('\n').find((l) => l.startsWith(PID_MARK));
  const pid = line === undefined ? NaN : Number(line.slice(PID_MARK.length));
  return Number.isInteger(pid) && pid > 1 ? pid : undefined;
}

/** stderr without the wrapper's line. */
export function stripPidLine(stderr: string): string {
  return stderr.startsWith(PID_MARK) ? stderr.slice(stderr.indexOf('\n') + 1) : stderr;
}
