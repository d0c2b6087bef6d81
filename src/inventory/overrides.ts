/**
 * Per-lab / per-kind / per-node overrides from settings: credentials (for kinds containerlab has no
 * default for, or changed passwords) and host/port (port-forwarded labs, simulators).
 * Precedence, later wins per field: labs < kinds < nodes. Within `kinds`, globs (`juniper_*`) apply
 * before exact kind names; within `nodes`, a short name before `lab/node` or the long name.
 */
import { SettingsError } from '../errors.js';
import { isKindGlob, kindMatches } from './kinds.js';
import { resolveSecretRef } from './secret-ref.js';
import { nodeKey } from '../model/node-ref.js';

export interface NodeOverride {
  /** Literal, `env:VAR` or `file:PATH`. */
  readonly username?: string;
  /** Literal, `env:VAR` or `file:PATH`. */
  readonly password?: string;
  /** Address to connect to instead of the mgmt address. */
  readonly host?: string;
  /** Port instead of the kind's standard one. */
  readonly port?: number;
}

export interface CredentialOverrides {
  /** Keyed by lab name. */
  readonly labs?: Readonly<Record<string, NodeOverride>>;
  /** Keyed by kind: canonical, alias, short form or glob (`juniper_*`). */
  readonly kinds?: Readonly<Record<string, NodeOverride>>;
  /** Keyed by `lab/node`, long name (`clab-dc1-r1`) or short name (every lab). */
  readonly nodes?: Readonly<Record<string, NodeOverride>>;
}

declare const resolved: unique symbol;
/** Overrides whose secret references have been read; produced only by resolveCredentialOverrides. */
export type ResolvedOverrides = CredentialOverrides & { readonly [resolved]: true };

export const NO_OVERRIDES = {} as ResolvedOverrides;

export interface ResolveOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Settings key the overrides live under, for messages (default `credentials`). */
  readonly settingsKey?: string;
  readonly baseDir?: string;
}

/** Reads every `env:`/`file:` reference and checks ports; throws SettingsError naming the key. */
export function resolveCredentialOverrides(overrides: CredentialOverrides | undefined, options: ResolveOptions): ResolvedOverrides {
  if (overrides === undefined) return NO_OVERRIDES;
  const root = options.settingsKey ?? 'credentials';
  const section = (name: 'labs' | 'kinds' | 'nodes') => {
    const entries = overrides[name];
    if (entries === undefined) return undefined;
    return Object.fromEntries(Object.entries(entries).map(([key, value]) => [key, resolveOne(value, `${root}.${name}.${key}`, options)]));
  };
  const out: CredentialOverrides = {
    ...(overrides.labs === undefined ? {} : { labs: section('labs') }),
    ...(overrides.kinds === undefined ? {} : { kinds: section('kinds') }),
    ...(overrides.nodes === undefined ? {} : { nodes: section('nodes') }),
  };
  return out as ResolvedOverrides;
}

function resolveOne(value: NodeOverride, key: string, options: ResolveOptions): NodeOverride {
  const secret = (field: 'username' | 'password'): string | undefined => {
    const raw = value[field];
    if (raw === undefined) return undefined;
    if (typeof raw !== 'string') throw new SettingsError(`${key}.${field}`, 'must be a string');
    return resolveSecretRef(raw, { env: options.env, key: `${key}.${field}`, ...(options.baseDir === undefined ? {} : { baseDir: options.baseDir }) });
  };
  if (value.port !== undefined && !(Number.isInteger(value.port) && value.port >= 1 && value.port <= 65535)) {
    throw new SettingsError(`${key}.port`, 'must be a TCP port number (1-65535)');
  }
  if (value.host !== undefined && (typeof value.host !== 'string' || value.host.trim() === '')) {
    throw new SettingsError(`${key}.host`, 'must be a non-empty host name or address');
  }
  const username = secret('username');
  const password = secret('password');
  return {
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
    ...(value.host === undefined ? {} : { host: value.host.trim() }),
    ...(value.port === undefined ? {} : { port: value.port }),
  };
}

export interface OverrideTarget {
  readonly lab: string;
  readonly name: string;
  readonly longName: string;
  /** Canonical kind (or as written when unknown). */
  readonly kind: string;
}

/** The merged override for one node (empty when nothing applies). */
export function overrideFor(target: OverrideTarget, overrides: ResolvedOverrides): NodeOverride {
  const layers: (NodeOverride | undefined)[] = [overrides.labs?.[target.lab]];
  const kindEntries = Object.entries(overrides.kinds ?? {}).filter(([pattern]) => kindMatches(pattern, target.kind));
  layers.push(...kindEntries.filter(([p]) => isKindGlob(p)).map(([, v]) => v));
  layers.push(...kindEntries.filter(([p]) => !isKindGlob(p)).map(([, v]) => v));
  const nodes = overrides.nodes ?? {};
  layers.push(nodes[target.name], nodes[target.longName], nodes[nodeKey(target)]);
  return Object.assign({}, ...layers.filter((l): l is NodeOverride => l !== undefined)) as NodeOverride;
}
