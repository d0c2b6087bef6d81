/**
 * A small Docker Engine API client on the daemon's unix socket (undici): container inspect and exec
 * (create, start with the demultiplexed stream, inspect). Only what the linux driver needs.
 */
import type { Agent } from 'undici';
import type { DriverErrorContext } from '../errors.js';
import { CancelledError, RejectedError, TimeoutError, UnreachableError } from '../errors.js';
import { DockerStreamDemuxer } from './demux.js';
import { MAX_OUTPUT_BYTES } from './transport.js';

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

type Undici = typeof import('undici');
let undici: Promise<Undici> | undefined;
/** undici (a megabyte of code) loads on the first Docker call, so a one-shot `exec` on other kinds never parses it. */
const loadUndici = (): Promise<Undici> => (undici ??= import('undici'));

/**
 * The socket path from DOCKER_HOST (`unix:///path`) or the default. Other schemes (tcp://, ssh://)
 * are refused: the bot runs on the containerlab host and talks to the local daemon only.
 */
export function dockerSocketPath(dockerHost: string | undefined): { path: string } | { problem: string } {
  if (dockerHost === undefined || dockerHost.trim() === '') return { path: DEFAULT_DOCKER_SOCKET };
  const match = /^unix:\/\/(\/.+)$/.exec(dockerHost.trim());
  if (match === null) return { problem: `DOCKER_HOST=${dockerHost}: only unix:///path/to/docker.sock is supported (run the bot on the containerlab host)` };
  return { path: match[1] as string };
}

export interface ContainerState {
  readonly id: string;
  readonly name: string;
  readonly image: string;
  readonly running: boolean;
}

export interface ExecStreamResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly truncated: boolean;
}

interface Budget {
  readonly ctx: DriverErrorContext;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export class DockerEngine {
  readonly socketPath: string;
  #agent: Agent | undefined;

  constructor(socketPath: string) {
    this.socketPath = socketPath;
  }

  async #client(): Promise<{ agent: Agent; request: Undici['request'] }> {
    const { Agent, request } = await loadUndici();
    this.#agent ??= new Agent({ connect: { socketPath: this.socketPath }, keepAliveTimeout: 10_000, connections: 64 });
    return { agent: this.#agent, request };
  }

  /** The container's state, or undefined when no container has that name. */
  async container(name: string, budget: Budget): Promise<ContainerState | undefined> {
    const { status, body } = await this.#call('GET', `/containers/${encodeURIComponent(name)}/json`, undefined, budget);
    if (status === 404) return undefined;
    const info = body as { Id?: string; Name?: string; Config?: { Image?: string }; State?: { Running?: boolean } };
    return { id: info.Id ?? name, name: (info.Name ?? name).replace(/^\//, ''), image: info.Config?.Image ?? '', running: info.State?.Running === true };
  }

  /** Creates an exec of argv (no TTY, no stdin) and returns its id. */
  async execCreate(containerId: string, argv: readonly string[], budget: Budget): Promise<string> {
    const { status, body } = await this.#call('POST', `/containers/${encodeURIComponent(containerId)}/exec`, {
      AttachStdout: true, AttachStderr: true, AttachStdin: false, Tty: false, Cmd: argv,
    }, budget);
    const id = (body as { Id?: unknown }).Id;
    if (status !== 201 || typeof id !== 'string') throw new RejectedError(budget.ctx, [engineMessage(body, status)]);
    return id;
  }

  /**
   * Starts the exec and reads its stream until the program ends. On timeout or abort the stream is
   * dropped and the error thrown; stopping the program itself is the caller's part (it knows the pid).
   */
  async execStart(execId: string, budget: Budget, demux = new DockerStreamDemuxer()): Promise<ExecStreamResult> {
    const { ctx } = budget;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort('timeout'), budget.timeoutMs);
    const onAbort = () => controller.abort('cancelled');
    budget.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const { agent, request } = await this.#client();
      const res = await request(`http://docker/exec/${encodeURIComponent(execId)}/start`, {
        dispatcher: agent, method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ Detach: false, Tty: false }), signal: controller.signal,
      });
      if (res.statusCode !== 200) {
        const text = await res.body.text();
        throw new RejectedError(ctx, [engineMessage(safeJson(text), res.statusCode)]);
      }
      for await (const chunk of res.body) {
        if (demux.push(chunk as Buffer) > MAX_OUTPUT_BYTES) {
          controller.abort('output');
          throw new RejectedError(ctx, [`the command printed more than ${MAX_OUTPUT_BYTES / 1024 / 1024} MiB; narrow it down`]);
        }
      }
      return { stdout: demux.stdout(), stderr: demux.stderr(), truncated: demux.truncated };
    } catch (err) {
      if (controller.signal.reason === 'timeout') throw new TimeoutError({ ...ctx, cause: err }, budget.timeoutMs);
      if (controller.signal.reason === 'cancelled' || budget.signal?.aborted) throw new CancelledError({ ...ctx, cause: err });
      throw this.#translate(err, ctx);
    } finally {
      clearTimeout(timer);
      budget.signal?.removeEventListener('abort', onAbort);
    }
  }

  async execInspect(execId: string, budget: Budget): Promise<{ running: boolean; exitCode: number | undefined; pid: number | undefined }> {
    const { body } = await this.#call('GET', `/exec/${encodeURIComponent(execId)}/json`, undefined, budget);
    const info = body as { Running?: boolean; ExitCode?: number | null; Pid?: number };
    return { running: info.Running === true, exitCode: typeof info.ExitCode === 'number' ? info.ExitCode : undefined, pid: info.Pid };
  }

  async close(): Promise<void> {
    await this.#agent?.close().catch(() => undefined);
  }

  async #call(method: 'GET' | 'POST', path: string, json: unknown, budget: Budget): Promise<{ status: number; body: unknown }> {
    const signal =
      budget.signal === undefined ? AbortSignal.timeout(budget.timeoutMs) : AbortSignal.any([budget.signal, AbortSignal.timeout(budget.timeoutMs)]);
    try {
      const { agent, request } = await this.#client();
      const res = await request(`http://docker${path}`, {
        dispatcher: agent, method, signal,
        ...(json === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) }),
      });
      const text = await res.body.text();
      if (res.statusCode >= 500) throw new RejectedError(budget.ctx, [engineMessage(safeJson(text), res.statusCode)]);
      return { status: res.statusCode, body: safeJson(text) };
    } catch (err) {
      if (err instanceof RejectedError) throw err;
      if (budget.signal?.aborted) throw new CancelledError({ ...budget.ctx, cause: err });
      if (signal.aborted) throw new TimeoutError({ ...budget.ctx, cause: err }, budget.timeoutMs);
      throw this.#translate(err, budget.ctx);
    }
  }

  /** Socket errors in words that name the fix (permissions are the usual one). */
  #translate(err: unknown, ctx: DriverErrorContext): Error {
    const code = (err as { code?: unknown }).code;
    const withCause = { ...ctx, cause: err };
    if (code === 'EACCES' || code === 'EPERM') {
      return new UnreachableError(
        withCause,
        `permission denied on the Docker socket ${this.socketPath}: run clab-bot as root or as a user in the docker group`,
      );
    }
    if (code === 'ENOENT' || code === 'ECONNREFUSED') {
      return new UnreachableError(
        withCause,
        `no Docker Engine answers on ${this.socketPath} (is dockerd running? set DOCKER_HOST=unix:///path for another socket)`,
      );
    }
    return new UnreachableError(withCause, `Docker Engine request failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.trim() };
  }
}

function engineMessage(body: unknown, status: number): string {
  const message = (body as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message !== '' ? message : `Docker Engine answered HTTP ${status}`;
}
