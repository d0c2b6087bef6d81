/**
 * One simulated SR Linux device: running configuration, state, commit history, checkpoints and
 * commit confirmed, behind the JSON-RPC methods get / set / validate / diff (docs: §4.1 of the
 * protocol notes). Every method either answers fully or throws RpcFailure: a failed set changes nothing.
 */
import { systemClock, type SimClock, type SimTimer } from '../clock.js';
import { PathError, parsePath, type PathSegment } from './paths.js';
import { clone, diffTrees, edit, getAt, isObj, type EditAction, type Json, type Obj } from './tree.js';

/** A JSON-RPC `error` the device answers with (HTTP 200). */
export class RpcFailure extends Error {
  constructor(message: string, readonly code = -1) {
    super(message);
  }
}

export interface SrlFaults {
  /** Delay before every response, in ms. */
  latencyMs: number;
  /** Every request is refused with HTTP 401. */
  authFail: boolean;
  /** The next request kills the TCP connection before any response (one-shot). */
  dropMidRequest: boolean;
  /** While set, every commit fails with this message (validate still passes). */
  commitError: string | null;
  /** While set, commits fail because this user holds an exclusive candidate. */
  busyBy: string | null;
}

export interface SrlOspfNeighbor {
  readonly interface: string;
  readonly routerId: string;
  readonly address: string;
}

export interface SrlDeviceOptions {
  readonly hostname: string;
  readonly version?: string;
  readonly chassisType?: string;
  readonly serial?: string;
  readonly initialConfig?: Obj;
  readonly neighbors?: readonly SrlOspfNeighbor[];
  readonly clock?: SimClock;
}

export interface CommitRecord {
  readonly id: number;
  status: 'complete' | 'unconfirmed' | 'rejected' | 'reverted';
  readonly user: string;
  readonly comment: string;
  readonly created: string;
}

export interface Checkpoint {
  readonly name: string;
  readonly comment: string;
  readonly created: string;
  readonly username: string;
  readonly config: Obj;
}

interface Command {
  readonly action?: string;
  readonly path: string;
  readonly value?: Json;
  readonly datastore?: string;
}

export const DEFAULT_SRL_VERSION = 'v24.10.1-492-gf8858c5836';
const MAX_CHECKPOINTS = 10;
const INTERFACE_NAME = /^(mgmt0|ethernet-\d+\/\d+(\/\d+)?|lo\d+|system0|irb\d+|lag\d+)$/;

export class SrlDevice {
  readonly hostname: string;
  readonly version: string;
  readonly chassisType: string;
  readonly serial: string;
  readonly bootedAt: number;
  readonly neighbors: readonly SrlOspfNeighbor[];
  readonly clock: SimClock;
  faults: SrlFaults = { latencyMs: 0, authFail: false, dropMidRequest: false, commitError: null, busyBy: null };
  running: Obj;
  /** Newest first. */
  readonly commits: CommitRecord[] = [];
  /** Newest first: index = checkpoint id, as SR Linux numbers them. */
  checkpoints: Checkpoint[] = [];
  #pending: { commit: CommitRecord; before: Obj; timer: SimTimer } | undefined;
  #nextCommit = 1;

  constructor(options: SrlDeviceOptions) {
    this.hostname = options.hostname;
    this.version = options.version ?? DEFAULT_SRL_VERSION;
    this.chassisType = options.chassisType ?? '7220 IXR-D2L';
    this.serial = options.serial ?? `Sim${[...options.hostname].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7).toString(36).toUpperCase()}`;
    this.neighbors = options.neighbors ?? [];
    this.clock = options.clock ?? systemClock;
    this.bootedAt = this.clock.now();
    this.running = clone(options.initialConfig ?? {});
    edit(this.running, 'update', parsePath('/system/name/host-name').segments, this.hostname);
  }

  /** The running config plus state-only data: what the state datastore shows. */
  stateTree(): Obj {
    const tree = clone(this.running);
    const now = new Date(this.clock.now()).toISOString();
    const at = (path: string, value: Json) => edit(tree, 'update', parsePath(path).segments, value, true);
    at('/system/information', { version: this.version, 'current-datetime': now, 'last-booted': new Date(this.bootedAt).toISOString() });
    at('/platform/chassis', {
      type: this.chassisType,
      'serial-number': this.serial,
      'part-number': 'Sim-Part-001',
      'hw-mac-address': '1A:2B:3C:FF:00:00',
      'last-booted': new Date(this.bootedAt).toISOString(),
    });
    for (const iface of Array.isArray(tree['interface']) ? tree['interface'] : []) {
      if (isObj(iface)) iface['oper-state'] = iface['admin-state'] === 'disable' ? 'down' : 'up';
    }
    const configuration: Obj = {
      commit: this.commits.map((c) => ({ id: c.id, status: c.status, user: c.user, comment: c.comment, 'start-time': c.created })),
      checkpoint: this.checkpoints.map((c, id) => ({ id, name: c.name, comment: c.comment, created: c.created, username: c.username })),
    };
    (tree['system'] as Obj)['configuration'] = configuration;
    return tree;
  }

  get(params: Obj): Json[] {
    return commandsOf(params).map((cmd) => {
      const datastore = cmd.datastore ?? stringParam(params, 'datastore') ?? 'running';
      if (datastore !== 'running' && datastore !== 'state' && datastore !== 'candidate') {
        throw new RpcFailure(`Datastore '${datastore}' is not valid for get. Options are [candidate, running, state]`);
      }
      const path = pathOf(cmd.path);
      return guard(() => getAt(datastore === 'state' ? this.stateTree() : this.running, path.segments, datastore === 'state'));
    });
  }

  /** The candidate `commands` would produce (private copy of running); throws on any bad command. */
  candidate(params: Obj, base: Obj = this.running): Obj {
    const tree = clone(base);
    for (const cmd of commandsOf(params)) {
      if ((cmd.datastore ?? 'candidate') !== 'candidate') throw new RpcFailure(`Datastore '${cmd.datastore}' cannot be mixed with configuration commands`);
      applyCommand(tree, cmd);
    }
    return tree;
  }

  validate(params: Obj): Json[] {
    this.check(this.candidate(params));
    return [{}];
  }

  diff(params: Obj): Json[] {
    const format = stringParam(params, 'output-format') ?? 'text';
    if (format !== 'text') throw new RpcFailure(`Output format '${format}' is not supported for diff. Options are [text]`);
    return [diffTrees(this.running, this.candidate(params))];
  }

  set(params: Obj, user: string): Json[] {
    const commands = commandsOf(params);
    const tools = commands.filter((c) => (c.datastore ?? stringParam(params, 'datastore')) === 'tools');
    if (tools.length > 0) {
      if (tools.length !== commands.length) throw new RpcFailure('Datastore tools cannot be mixed with configuration commands');
      for (const cmd of tools) this.tool(pathOf(cmd.path).segments, user);
      return [{}];
    }
    const timeout = params['confirm-timeout'];
    if (timeout !== undefined && !(typeof timeout === 'number' && Number.isInteger(timeout) && timeout > 0)) {
      throw new RpcFailure(`confirm-timeout must be a positive number of seconds, not ${JSON.stringify(timeout)}`);
    }
    const comment = stringParam(params, 'comment') ?? '';
    this.commit(this.candidate(params), user, comment, timeout as number | undefined);
    return [{}];
  }

  /** Validates and commits `next` as one transaction; `confirmSeconds` starts commit confirmed. */
  commit(next: Obj, user: string, comment: string, confirmSeconds?: number): CommitRecord {
    if (this.#pending !== undefined) {
      throw new RpcFailure(
        `Commit confirmed ${this.#pending.commit.id} is in progress: accept it (tools system configuration confirmed-accept) or reject it first`,
      );
    }
    if (this.faults.busyBy !== null) throw new RpcFailure(`Commit failed: the configuration is locked by exclusive candidate of user ${this.faults.busyBy}`);
    this.check(next);
    if (this.faults.commitError !== null) throw new RpcFailure(`Commit failed: ${this.faults.commitError}`);
    const before = this.running;
    this.running = next;
    const record: CommitRecord = {
      id: this.#nextCommit++,
      status: confirmSeconds ? 'unconfirmed' : 'complete',
      user,
      comment,
      created: new Date(this.clock.now()).toISOString(),
    };
    this.commits.unshift(record);
    if (confirmSeconds !== undefined) {
      const timer = this.clock.setTimer(() => this.#revert('reverted'), confirmSeconds * 1000);
      this.#pending = { commit: record, before, timer };
    }
    return record;
  }

  get pendingCommit(): CommitRecord | undefined {
    return this.#pending?.commit;
  }

  accept(): void {
    if (this.#pending === undefined) throw new RpcFailure('There is no commit confirmed in progress to accept');
    this.#pending.timer.cancel();
    this.#pending.commit.status = 'complete';
    this.#pending = undefined;
  }

  reject(): void {
    if (this.#pending === undefined) throw new RpcFailure('There is no commit confirmed in progress to reject');
    this.#revert('rejected');
  }

  #revert(status: 'rejected' | 'reverted'): void {
    const pending = this.#pending;
    if (pending === undefined) return;
    pending.timer.cancel();
    pending.commit.status = status;
    this.running = pending.before;
    this.#pending = undefined;
  }

  generateCheckpoint(user: string, name: string | undefined, comment: string): number {
    const created = new Date(this.clock.now()).toISOString();
    this.checkpoints.unshift({ name: name ?? `checkpoint-${created}`, comment, created, username: user, config: clone(this.running) });
    this.checkpoints = this.checkpoints.slice(0, MAX_CHECKPOINTS);
    return 0;
  }

  findCheckpoint(idOrName: string): Checkpoint {
    const byId = /^\d+$/.test(idOrName) ? this.checkpoints[Number(idOrName)] : undefined;
    const found = byId ?? this.checkpoints.find((c) => c.name === idOrName);
    if (found === undefined) throw new RpcFailure(`Checkpoint '${idOrName}' does not exist`);
    return found;
  }

  /** Commit checks: what SR Linux refuses at validate/commit time in the modelled slice. */
  check(tree: Obj): void {
    const interfaces = Array.isArray(tree['interface']) ? tree['interface'].filter(isObj) : [];
    for (const iface of interfaces) {
      const name = String(iface['name']);
      if (!INTERFACE_NAME.test(name)) {
        throw new RpcFailure(
          `Invalid value "${name}" for leaf 'name' in list 'interface': does not match the pattern '(mgmt0|ethernet-([1-9][0-9]?)/([1-9][0-9]?)|lo[0-9]+|system0|irb[0-9]+|lag[0-9]+)'`,
        );
      }
      const mtu = iface['mtu'];
      if (mtu !== undefined && !(Number(mtu) >= 1500 && Number(mtu) <= 9500)) {
        throw new RpcFailure(`Invalid value "${String(mtu)}" for leaf 'mtu' in interface ${name}: must be between 1500 and 9500`);
      }
    }
    const subinterfaces = new Set(
      interfaces.flatMap((i) =>
        (Array.isArray(i['subinterface']) ? i['subinterface'].filter(isObj) : []).map((s) => `${String(i['name'])}.${String(s['index'])}`),
      ),
    );
    for (const ni of Array.isArray(tree['network-instance']) ? tree['network-instance'].filter(isObj) : []) {
      for (const member of Array.isArray(ni['interface']) ? ni['interface'].filter(isObj) : []) {
        if (!subinterfaces.has(String(member['name']))) {
          throw new RpcFailure(`network-instance ${String(ni['name'])}: interface ${String(member['name'])} refers to a subinterface that does not exist`);
        }
      }
    }
  }

  tool(segments: readonly PathSegment[], user: string): void {
    const path = segments.map((s) => s.name).join('/');
    if (path === 'system/configuration/confirmed-accept') return this.accept();
    if (path === 'system/configuration/confirmed-reject') return this.reject();
    if (path === 'system/configuration/generate-checkpoint') {
      this.generateCheckpoint(user, undefined, '');
      return;
    }
    if (/^interface\/statistics\/clear$/.test(path)) return;
    throw new RpcFailure(`Path not valid - unknown tools path /${path}`);
  }
}

function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof PathError) throw new RpcFailure(err.message);
    throw err;
  }
}

function pathOf(raw: unknown) {
  if (typeof raw !== 'string') throw new RpcFailure("Parameter 'path' is required and must be a string");
  return guard(() => parsePath(raw));
}

function stringParam(params: Obj, name: string): string | undefined {
  const v = params[name];
  return typeof v === 'string' ? v : undefined;
}

export function commandsOf(params: Obj): Command[] {
  const commands = params['commands'];
  if (!Array.isArray(commands) || commands.length === 0) throw new RpcFailure("Parameter 'commands' is required and must be a non-empty list", -32602);
  return commands.map((c) => {
    if (!isObj(c)) throw new RpcFailure('Each command must be an object with a path', -32602);
    return c as unknown as Command;
  });
}

/** One set/validate/diff command on a tree. */
export function applyCommand(tree: Obj, cmd: Command): void {
  const action = cmd.action ?? 'update';
  if (action !== 'update' && action !== 'replace' && action !== 'delete') {
    throw new RpcFailure(`Action '${action}' is not valid. Options are [delete, replace, update]`);
  }
  const path = pathOf(cmd.path);
  if (cmd.value !== undefined && path.value !== undefined) throw new RpcFailure('Give the value either after the path or as value, not both');
  const value = cmd.value ?? path.value;
  if (action !== 'delete' && value === undefined) throw new RpcFailure(`A value is required for ${action} of ${cmd.path}`);
  guard(() => edit(tree, action as EditAction, path.segments, value));
}
