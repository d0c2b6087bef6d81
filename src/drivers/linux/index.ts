/**
 * The linux driver's construction: which transport a node gets (settings `linux:` per lab and
 * node; `auto` = Docker when the Engine socket answers and the container clab-<lab>-<node> exists,
 * else SSH), one Docker Engine client per socket, one KnownHosts file.
 */
import type { LabNode } from '../../inventory/types.js';
import { RejectedError, UnreachableError } from '../errors.js';
import { DockerEngine, dockerSocketPath } from './docker-engine.js';
import { DockerTransport } from './docker-transport.js';
import { KnownHosts, parseHostKeyLine, type HostKeyPolicy } from '../ssh/known-hosts.js';
import type { MethodTimeouts } from '../deadline.js';
import { LinuxDriver } from './linux-driver.js';
import { SSH_PORT, SshExecTransport } from './ssh-exec-transport.js';
import type { LinuxTransport } from './transport.js';
import { nodeKey } from '../../model/node-ref.js';

export { LinuxDriver, FRR_CAPABILITIES, LINUX_CAPABILITIES, LINUX_TRAITS, imageSaysFrr } from './linux-driver.js';
export type { HostKeyPolicy } from '../ssh/known-hosts.js';
export { HOST_KEY_POLICIES } from '../ssh/known-hosts.js';

export type TransportChoice = 'auto' | 'docker' | 'ssh';
export const TRANSPORT_CHOICES: readonly TransportChoice[] = ['auto', 'docker', 'ssh'];

/** Per lab or node: how to reach it and how to treat its SSH host key. */
export interface LinuxNodeSettings {
  readonly transport?: TransportChoice;
  readonly hostKeys?: HostKeyPolicy;
  /** Private key file for SSH (absolute). */
  readonly identityFile?: string;
  /** `ssh-ed25519 AAAA...`: the only key this node may present (nodes only). */
  readonly hostKey?: string;
}

export interface LinuxSettings extends LinuxNodeSettings {
  /** DOCKER_HOST-style `unix:///path`; undefined = /var/run/docker.sock. */
  readonly dockerHost?: string;
  /** Where host keys are recorded (absolute). */
  readonly knownHostsFile: string;
  readonly labs?: Readonly<Record<string, LinuxNodeSettings>>;
  /** Keyed by `lab/node`, long name or short name. */
  readonly nodes?: Readonly<Record<string, LinuxNodeSettings>>;
}

export interface LinuxDriverOptions {
  readonly settings: LinuxSettings;
  readonly timeouts?: Partial<MethodTimeouts>;
}

const engines = new Map<string, DockerEngine>();

function engineFor(socketPath: string): DockerEngine {
  let engine = engines.get(socketPath);
  if (engine === undefined) {
    engine = new DockerEngine(socketPath);
    engines.set(socketPath, engine);
  }
  return engine;
}

/** Settings for one node: global < lab < node (short name < long name < lab/node). */
export function linuxSettingsFor(node: LabNode, settings: LinuxSettings): LinuxNodeSettings {
  const layers = [settings, settings.labs?.[node.lab], settings.nodes?.[node.name], settings.nodes?.[node.longName], settings.nodes?.[nodeKey(node)]];
  const merged: { -readonly [K in keyof LinuxNodeSettings]: LinuxNodeSettings[K] } = {};
  for (const layer of layers) {
    if (layer === undefined) continue;
    if (layer.transport !== undefined) merged.transport = layer.transport;
    if (layer.hostKeys !== undefined) merged.hostKeys = layer.hostKeys;
    if (layer.identityFile !== undefined) merged.identityFile = layer.identityFile;
    if (layer.hostKey !== undefined && layer !== settings) merged.hostKey = layer.hostKey;
  }
  return merged;
}

export function createLinuxDriver(node: LabNode, options: LinuxDriverOptions): LinuxDriver {
  const knownHosts = new KnownHosts(options.settings.knownHostsFile);
  const transport = async (n: LabNode, call: { timeoutMs: number; signal?: AbortSignal }): Promise<LinuxTransport> => {
    const own = linuxSettingsFor(n, options.settings);
    const choice = own.transport ?? 'auto';
    const ctx = { node: n.name, operation: 'open' };
    if (choice !== 'ssh') {
      const socket = dockerSocketPath(options.settings.dockerHost);
      if ('problem' in socket) {
        if (choice === 'docker') throw new UnreachableError(ctx, socket.problem);
      } else {
        const engine = engineFor(socket.path);
        if (choice === 'docker') return new DockerTransport(engine, n.name, n.longName);
        try {
          const state = await engine.container(n.longName, {
            ctx,
            timeoutMs: Math.min(call.timeoutMs, 5_000),
            ...(call.signal === undefined ? {} : { signal: call.signal }),
          });
          if (state !== undefined) return new DockerTransport(engine, n.name, n.longName);
        } catch (err) {
          // No Docker here (or not allowed to use it): SSH is the other way in.
          if (!(err instanceof UnreachableError) && !(err instanceof RejectedError)) throw err;
        }
      }
    }
    const pinned = own.hostKey === undefined ? undefined : parseHostKeyLine(own.hostKey);
    return new SshExecTransport({
      node: n.name,
      nodeKey: nodeKey(n),
      host: n.host,
      port: n.port ?? SSH_PORT,
      username: n.credentials.username === '' ? 'root' : n.credentials.username,
      password: n.credentials.password,
      ...(own.identityFile === undefined ? {} : { identityFile: own.identityFile }),
      knownHosts,
      hostKeyPolicy: own.hostKeys ?? 'record',
      ...(pinned === undefined ? {} : { pinnedHostKey: pinned }),
    });
  };
  return new LinuxDriver(node, { transport, ...(options.timeouts === undefined ? {} : { timeouts: options.timeouts }) });
}
