/**
 * Runs programs in a node's container through the Docker Engine API, as `docker exec` does,
 * with argv arrays only. A program that overruns its time or is cancelled is killed inside the
 * container: each exec starts through `/bin/sh -c 'echo pid; exec "$@"'` (the user's words are
 * positional arguments, never part of the script) so the driver knows the pid to kill.
 */
import type { DriverErrorContext } from '../errors.js';
import { CancelledError, TimeoutError, UnreachableError } from '../errors.js';
import { DockerStreamDemuxer } from './demux.js';
import type { DockerEngine } from './docker-engine.js';
import { killArgv, pidFrom, stripPidLine, WRAPPER } from './killable.js';
import type { LinuxTransport, RunRequest, RunResult } from './transport.js';

/** Budget for the small calls around a run (inspect, kill) once the run's own budget is spent. */
const SIDE_CALL_MS = 5_000;

export class DockerTransport implements LinuxTransport {
  readonly name = 'docker' as const;
  readonly where: string;
  readonly #engine: DockerEngine;
  readonly #container: string;
  readonly #node: string;
  #id: string | undefined;
  #image = '';
  /** False when the container has no /bin/sh: programs run directly and a timeout can only abandon them. */
  #wrapped = true;
  #closed = false;

  constructor(engine: DockerEngine, node: string, container: string) {
    this.#engine = engine;
    this.#node = node;
    this.#container = container;
    this.where = `container ${container}`;
  }

  /** The container's image (known after open). */
  get image(): string {
    return this.#image;
  }

  async open(opts: { timeoutMs: number; signal?: AbortSignal }): Promise<void> {
    const ctx = this.#ctx('open');
    const budget = { ctx, timeoutMs: opts.timeoutMs, ...(opts.signal === undefined ? {} : { signal: opts.signal }) };
    const state = await this.#engine.container(this.#container, budget);
    if (state === undefined) throw new UnreachableError(ctx, `no container named ${this.#container} on this Docker host (is the lab deployed here?)`);
    if (!state.running) throw new UnreachableError(ctx, `container ${this.#container} is not running`);
    this.#id = state.id;
    this.#image = state.image;
    this.#closed = false;
    const probe = await this.#raw(['/bin/sh', '-c', 'exit 0'], { ...budget, operation: 'open' });
    this.#wrapped = probe.exitCode === 0;
  }

  isAlive(): boolean {
    return this.#id !== undefined && !this.#closed;
  }

  async run(request: RunRequest): Promise<RunResult> {
    if (!this.#wrapped) return this.#raw(request.argv, request);
    const result = await this.#raw([...WRAPPER, ...request.argv], request);
    return { ...result, stderr: stripPidLine(result.stderr) };
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  async #raw(argv: readonly string[], request: Pick<RunRequest, 'timeoutMs' | 'signal' | 'operation'>): Promise<RunResult> {
    const ctx = this.#ctx(request.operation);
    const id = this.#id;
    if (id === undefined) throw new UnreachableError(ctx, 'the container was not opened');
    const started = Date.now();
    const budget = { ctx, timeoutMs: request.timeoutMs, ...(request.signal === undefined ? {} : { signal: request.signal }) };
    const execId = await this.#engine.execCreate(id, argv, budget);
    const demux = new DockerStreamDemuxer();
    let out;
    try {
      out = await this.#engine.execStart(execId, { ...budget, timeoutMs: Math.max(1, request.timeoutMs - (Date.now() - started)) }, demux);
    } catch (err) {
      if (err instanceof TimeoutError || err instanceof CancelledError) await this.#kill(demux.stderr(), ctx);
      throw err;
    }
    // The stream ends when the program does; the daemon records the exit code a moment later.
    const side = { ctx, timeoutMs: SIDE_CALL_MS };
    for (let attempt = 0; ; attempt++) {
      const info = await this.#engine.execInspect(execId, side);
      if (!info.running && info.exitCode !== undefined) return { stdout: out.stdout, stderr: out.stderr, exitCode: info.exitCode };
      if (attempt >= 50) return { stdout: out.stdout, stderr: out.stderr, exitCode: info.exitCode ?? -1 };
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Kills the program whose pid the wrapper printed; best effort (the caller's error stands). */
  async #kill(stderr: string, ctx: DriverErrorContext): Promise<void> {
    const pid = pidFrom(stderr);
    if (pid === undefined || this.#id === undefined) return;
    try {
      const execId = await this.#engine.execCreate(this.#id, killArgv(pid), { ctx, timeoutMs: SIDE_CALL_MS });
      await this.#engine.execStart(execId, { ctx, timeoutMs: SIDE_CALL_MS });
    } catch {
      // the program may have ended by itself meanwhile
    }
  }

  #ctx(operation: string): DriverErrorContext {
    return { node: this.#node, operation };
  }
}
