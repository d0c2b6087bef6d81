/**
 * FRR configuration changes, done the way frr-reload.py does them but computed by the bot (the
 * node needs only vtysh and /bin/sh):
 *   plan     running config + candidate → contexts diff; `vtysh -C -f` checks candidate and commands.
 *   apply    fresh diff must match the approved hash; snapshot of running saved on the node;
 *            the minimal commands through `vtysh -f`; post-check (re-planning must find nothing left
 *            to change) else the snapshot is restored; `write memory`.
 *   confirm  "commit confirmed": apply leaves a timer process on the node that restores the snapshot
 *            unless confirm() removes its marker in time (it runs on the node: a bot restart does not stop it).
 *   rollback N restores the N-th newest snapshot (1 = the config before the last change).
 * Snapshots and timer files live in /var/tmp/clab-bot on the node.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ApplyOptions, ApplyResult, ConfigMethod, NodeSource, Plan } from '../contract.js';
import { RejectedError, StaleError, UnsupportedError, type DriverErrorContext } from '../errors.js';
import type { Deadline } from '../deadline.js';
import { diffHash, normaliseDiff } from '../diff-hash.js';
import { changeCommands, diffFrrConfig, FrrConfigError, parseFrrConfig, renderFrrDiff, type ContextChange, type Method } from './frr-config.js';
import type { NodeRunner } from './transport.js';
import { stripRunningBanner, VTYSH, vtyshErrors } from './vtysh.js';

export const STATE_DIR = '/var/tmp/clab-bot';
/** One argv element stays well under Linux's 128 KiB per-argument limit. */
const CHUNK = 60_000;
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

const WRITE_SCRIPT = 'umask 077 && mkdir -p "$1" && printf "%s" "$3" >"$2"';
const APPEND_SCRIPT = 'printf "%s" "$2" >>"$1"';
/**
 * The confirm timer, left running on the node: it sleeps, then restores the previous config unless
 * the pending marker is gone. Whoever removes the marker first (confirm or timer) wins; confirm also
 * stops the sleep so nothing lingers.
 */
const TIMER_SCRIPT = [
  'd=$1; id=$2; secs=$3',
  '( trap "" HUP; sleep "$secs" & echo $! >"$d/sleep-$id"; wait $!',
  '  if rm "$d/pending-$id" 2>/dev/null; then vtysh -f "$d/revert-$id.vtysh" >"$d/reverted-$id.log" 2>&1; vtysh -c "write memory" >/dev/null 2>&1; fi',
  '  rm -f "$d/sleep-$id" ) </dev/null >/dev/null 2>&1 &',
].join('\n');
const CONFIRM_SCRIPT =
  'if rm "$1/pending-$2" 2>/dev/null; then [ -f "$1/sleep-$2" ] && kill "$(cat "$1/sleep-$2")" 2>/dev/null; echo confirmed; else echo expired; fi';
const PENDING_SCRIPT = 'for f in "$1"/pending-*; do [ -e "$f" ] && echo "${f##*/pending-}"; done; exit 0';

interface Pending {
  readonly id: string;
}

export class FrrChanges {
  readonly #driver: NodeRunner;
  #pending: Pending | undefined;
  /** One change at a time per node. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(driver: NodeRunner) {
    this.#driver = driver;
  }

  plan(source: NodeSource, method: ConfigMethod, deadline: Deadline): Promise<Plan> {
    return this.#serial(async () => {
      const ctx = this.#driver.ctx('plan');
      const candidate = await this.#candidate(source, method, ctx, deadline);
      const running = await this.#running(ctx, deadline);
      const changes = this.#diff(running, candidate, ctx);
      const diff = renderFrrDiff(changes);
      const errors = [...(await this.#dryRun(candidate.text, ctx, deadline)), ...(await this.#dryRun(changeCommands(changes), ctx, deadline))];
      return { diff, diffHash: diffHash(diff), base: baseOf(running), check: { ok: errors.length === 0, warnings: [], errors } };
    });
  }

  apply(source: NodeSource, opts: ApplyOptions, deadline: Deadline): Promise<ApplyResult> {
    return this.#serial(async () => {
      const ctx = this.#driver.ctx('apply');
      const candidate = await this.#candidate(source, opts.method, ctx, deadline);
      const running = await this.#running(ctx, deadline);
      const changes = this.#diff(running, candidate, ctx);
      const diff = renderFrrDiff(changes);
      if (diffHash(diff) !== opts.expectDiffHash) throw new StaleError(ctx);
      if (normaliseDiff(diff) === '') return { committed: false, commitId: undefined, diff, pendingConfirm: false, warnings: [] };
      const commands = changeCommands(changes);
      const errors = await this.#dryRun(commands, ctx, deadline);
      if (errors.length > 0) throw new RejectedError(ctx, errors);

      const id = `${Date.now()}`;
      await this.#write(`${STATE_DIR}/snapshot-${id}.conf`, running, ctx, deadline);
      const failure = await this.#push(commands, candidate, ctx, deadline);
      if (failure !== undefined) {
        const restored = await this.#restore(running, ctx, deadline);
        throw new RejectedError(ctx, [...failure, restored]);
      }
      await this.#save(ctx, deadline);
      const seconds = Math.ceil(opts.confirmSeconds ?? 0);
      const pendingConfirm = seconds > 0;
      if (pendingConfirm) await this.#startTimer(id, running, seconds, ctx, deadline);
      return { committed: true, commitId: id, diff, pendingConfirm, warnings: [] };
    });
  }

  confirm(deadline: Deadline): Promise<void> {
    return this.#serial(async () => {
      const ctx = this.#driver.ctx('confirm');
      const pending = this.#pending ?? (await this.#findPending(ctx, deadline));
      if (pending === undefined) throw new RejectedError(ctx, ['no change awaits confirmation on this node']);
      const out = await this.#driver.run(['/bin/sh', '-c', CONFIRM_SCRIPT, 'sh', STATE_DIR, pending.id], ctx, deadline);
      this.#pending = undefined;
      if (out.stdout.trim() !== 'confirmed') {
        throw new RejectedError(ctx, ['the confirmation came too late: the node already restored the configuration it had before the change']);
      }
    });
  }

  rollback(index: number, deadline: Deadline): Promise<ApplyResult> {
    return this.#serial(async () => {
      const ctx = this.#driver.ctx('rollback');
      const running = await this.#running(ctx, deadline);
      const target = await this.#snapshot(index, ctx, deadline);
      const changes = this.#diff(running, { config: parseFrrConfig(target), method: 'override' as const }, ctx);
      const diff = renderFrrDiff(changes);
      if (normaliseDiff(diff) === '') return { committed: false, commitId: undefined, diff, pendingConfirm: false, warnings: [] };
      const id = `${Date.now()}`;
      await this.#write(`${STATE_DIR}/snapshot-${id}.conf`, running, ctx, deadline);
      const failure = await this.#push(changeCommands(changes), { config: parseFrrConfig(target), method: 'override' as const }, ctx, deadline);
      if (failure !== undefined) throw new RejectedError(ctx, [`restoring snapshot ${index} left differences`, ...failure]);
      await this.#save(ctx, deadline);
      return { committed: true, commitId: id, diff, pendingConfirm: false, warnings: [] };
    });
  }

  async #candidate(
    source: NodeSource,
    method: ConfigMethod,
    ctx: DriverErrorContext,
    deadline: Deadline,
  ): Promise<{ config: ReturnType<typeof parseFrrConfig>; text: string; method: Method }> {
    if (method === 'set') throw new UnsupportedError(ctx, '--method set on FRR (use merge, or override/replace with the whole configuration)');
    if (source.type === 'device-file') throw new UnsupportedError(ctx, '--device-file on FRR (give the configuration text with --file instead)');
    if (source.type === 'rollback') {
      const text = await this.#snapshot(source.index, ctx, deadline);
      return { config: parseFrrConfig(text), text, method: 'override' };
    }
    if (source.format === 'xml') throw new UnsupportedError(ctx, 'XML configuration on FRR (give vtysh configuration text)');
    if (Buffer.byteLength(source.content) > MAX_CONFIG_BYTES) throw new RejectedError(ctx, ['the configuration is larger than 4 MiB']);
    try {
      return { config: parseFrrConfig(source.content, { userText: true }), text: source.content, method: method === 'merge' ? 'merge' : 'override' };
    } catch (err) {
      if (err instanceof FrrConfigError) throw new RejectedError({ ...ctx, cause: err }, [err.message]);
      throw err;
    }
  }

  #diff(running: string, candidate: { config: ReturnType<typeof parseFrrConfig>; method: Method }, ctx: DriverErrorContext): ContextChange[] {
    try {
      return diffFrrConfig(parseFrrConfig(running), candidate.config, candidate.method);
    } catch (err) {
      if (err instanceof FrrConfigError) throw new RejectedError({ ...ctx, cause: err }, [err.message]);
      throw err;
    }
  }

  async #running(ctx: DriverErrorContext, deadline: Deadline): Promise<string> {
    const out = await this.#driver.run([VTYSH, '-c', 'show running-config'], ctx, deadline);
    if (out.exitCode !== 0) throw new RejectedError(ctx, vtyshErrors(out.stdout, out.stderr));
    return stripRunningBanner(out.stdout);
  }

  /** `vtysh -C -f` on the text: its complaints, or [] when it parses. Nothing changes on the node. */
  async #dryRun(text: string, ctx: DriverErrorContext, deadline: Deadline): Promise<string[]> {
    if (text.trim() === '') return [];
    const file = `${STATE_DIR}/check-${randomBytes(6).toString('hex')}.conf`;
    await this.#write(file, text, ctx, deadline);
    try {
      const out = await this.#driver.run([VTYSH, '-C', '-f', file], ctx, deadline);
      return out.exitCode === 0 ? [] : vtyshErrors(out.stdout, out.stderr).map((l) => l.replace(/\[\d+\]:/, ':'));
    } finally {
      await this.#driver.run(['rm', '-f', file], ctx, deadline).catch(() => undefined);
    }
  }

  /** Sends the commands; undefined when the post-check finds the candidate fully applied, else what went wrong. */
  async #push(
    commands: string,
    candidate: { config: ReturnType<typeof parseFrrConfig>; method: Method },
    ctx: DriverErrorContext,
    deadline: Deadline,
  ): Promise<string[] | undefined> {
    const file = `${STATE_DIR}/apply-${randomBytes(6).toString('hex')}.vtysh`;
    await this.#write(file, commands, ctx, deadline);
    const out = await this.#driver.run([VTYSH, '-f', file], ctx, deadline);
    await this.#driver.run(['rm', '-f', file], ctx, deadline).catch(() => undefined);
    const problems = out.exitCode === 0 ? [] : vtyshErrors(out.stdout, out.stderr);
    const left = renderFrrDiff(diffFrrConfig(parseFrrConfig(await this.#running(ctx, deadline)), candidate.config, candidate.method));
    if (normaliseDiff(left) !== '') problems.push(`post-check: the running configuration still differs after applying:\n${left.trimEnd()}`);
    return problems.length === 0 ? undefined : problems;
  }

  /** Puts `snapshot` back as the running configuration and saves it; returns a sentence for messages. */
  async #restore(snapshot: string, ctx: DriverErrorContext, deadline: Deadline): Promise<string> {
    const target = { config: parseFrrConfig(snapshot), method: 'override' as const };
    const commands = changeCommands(this.#diff(await this.#running(ctx, deadline), target, ctx));
    if (commands !== '') {
      const left = await this.#push(commands, target, ctx, deadline);
      if (left !== undefined) return `restoring the previous configuration failed too (${left.join('; ')}): check ${this.#driver.node.name} by hand`;
    }
    await this.#save(ctx, deadline);
    return 'the previous configuration was restored';
  }

  async #save(ctx: DriverErrorContext, deadline: Deadline): Promise<void> {
    const out = await this.#driver.run([VTYSH, '-c', 'write memory'], ctx, deadline);
    if (out.exitCode !== 0) throw new RejectedError(ctx, ['the change is running but saving it failed (write memory)', ...vtyshErrors(out.stdout, out.stderr)]);
  }

  async #startTimer(id: string, snapshot: string, seconds: number, ctx: DriverErrorContext, deadline: Deadline): Promise<void> {
    const now = parseFrrConfig(await this.#running(ctx, deadline));
    const revert = changeCommands(diffFrrConfig(now, parseFrrConfig(snapshot), 'override'));
    await this.#write(`${STATE_DIR}/revert-${id}.vtysh`, revert, ctx, deadline);
    await this.#write(`${STATE_DIR}/pending-${id}`, `${id}\n`, ctx, deadline);
    const out = await this.#driver.run(['/bin/sh', '-c', TIMER_SCRIPT, 'sh', STATE_DIR, id, String(seconds)], ctx, deadline);
    if (out.exitCode !== 0) throw new RejectedError(ctx, ['could not start the confirm timer on the node', out.stderr.trim()]);
    this.#pending = { id };
  }

  async #findPending(ctx: DriverErrorContext, deadline: Deadline): Promise<Pending | undefined> {
    const out = await this.#driver.run(['/bin/sh', '-c', PENDING_SCRIPT, 'sh', STATE_DIR], ctx, deadline);
    const id = out.stdout.trim().split('\n').pop() ?? '';
    return /^\d+$/.test(id) ? { id } : undefined;
  }

  /** The index-th newest snapshot's text (1 = taken before the last change). */
  async #snapshot(index: number, ctx: DriverErrorContext, deadline: Deadline): Promise<string> {
    if (!Number.isInteger(index) || index < 0) throw new RejectedError(ctx, [`rollback ${index}: give a whole number`]);
    if (index === 0) return this.#running(ctx, deadline);
    const list = await this.#driver.run(['ls', '-1', STATE_DIR], ctx, deadline);
    const snapshots = list.stdout.split('\n').filter((f) => /^snapshot-\d+\.conf$/.test(f)).sort((a, b) => Number(b.slice(9, -5)) - Number(a.slice(9, -5)));
    const name = snapshots[index - 1];
    if (name === undefined) {
      throw new RejectedError(ctx, [
        `no snapshot ${index} on ${this.#driver.node.name}: the bot keeps one per change it applied (${snapshots.length} there now, in ${STATE_DIR})`,
      ]);
    }
    const out = await this.#driver.run(['cat', `${STATE_DIR}/${name}`], ctx, deadline);
    if (out.exitCode !== 0) throw new RejectedError(ctx, [`cannot read ${STATE_DIR}/${name}`, out.stderr.trim()]);
    return out.stdout;
  }

  /** Writes text to a file on the node, passed as argv (never through a shell's parsing). */
  async #write(path: string, text: string, ctx: DriverErrorContext, deadline: Deadline): Promise<void> {
    const chunks = text.length === 0 ? [''] : Array.from({ length: Math.ceil(text.length / CHUNK) }, (_, i) => text.slice(i * CHUNK, (i + 1) * CHUNK));
    for (const [i, chunk] of chunks.entries()) {
      const argv = i === 0 ? ['/bin/sh', '-c', WRITE_SCRIPT, 'sh', STATE_DIR, path, chunk] : ['/bin/sh', '-c', APPEND_SCRIPT, 'sh', path, chunk];
      const out = await this.#driver.run(argv, ctx, deadline);
      if (out.exitCode !== 0) throw new RejectedError(ctx, [`cannot write ${path} on the node (${out.stderr.trim() || `status ${out.exitCode}`})`]);
    }
  }

  #serial<T>(body: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(body, body);
    this.#queue = result.catch(() => undefined);
    return result;
  }
}

function baseOf(running: string): string {
  return createHash('sha256').update(running).digest('hex').slice(0, 16);
}
