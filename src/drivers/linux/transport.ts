import type { Deadline } from '../deadline.js';
import type { DriverErrorContext } from '../errors.js';

/** How the linux driver runs a program on a node: Docker exec or an SSH exec channel. */
export type TransportName = 'docker' | 'ssh';

export interface RunRequest {
  /** The program and its arguments. Never a shell string: each element reaches the program as is. */
  readonly argv: readonly string[];
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** For messages ("exec", "plan"). */
  readonly operation: string;
}

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  /** The program's exit status. */
  readonly exitCode: number;
}

export interface LinuxTransport {
  readonly name: TransportName;
  /** Where the node is reached, for messages (`container clab-lab-r1`, `root@172.20.20.2:22`). */
  readonly where: string;
  /** Connects (SSH) or finds the running container (Docker). Throws Unreachable, AuthFailed, Timeout. */
  open(opts: { timeoutMs: number; signal?: AbortSignal }): Promise<void>;
  isAlive(): boolean;
  /**
   * Runs argv to completion. A timeout or cancellation stops the program on the node (killed, not
   * just abandoned) and throws TimeoutError / CancelledError. A non-zero exit is data, not a throw.
   */
  run(request: RunRequest): Promise<RunResult>;
  close(): Promise<void>;
}

/** What the FRR change code needs from the driver: run argv on the node within a method's deadline. */
export interface NodeRunner {
  readonly node: { readonly name: string };
  ctx(operation: string): DriverErrorContext;
  run(argv: readonly string[], ctx: DriverErrorContext, deadline: Deadline): Promise<RunResult>;
}

/** Most output kept from one command; beyond it the command is stopped and the call fails. */
export const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;
