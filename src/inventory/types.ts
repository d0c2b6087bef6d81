import type { NodeRef } from '../model/node-ref.js';

/** What the rest of the bot knows about one lab node. Built by the inventory readers only. */
export interface LabNode extends NodeRef {
  /** containerlab lab name (topology `name:`). */
  readonly lab: string;
  /** Short node name as in the topology (`router1`). */
  readonly name: string;
  /** containerlab's container name, `clab-<lab>-<node>` unless the prefix is changed. */
  readonly longName: string;
  /** Canonical containerlab kind (`juniper_vjunosrouter`); an unknown kind is kept as written. */
  readonly kind: string;
  /** Vendor from the kinds table (`juniper`, `nokia`, `arista`, `cisco`, `linux`, `unknown`). */
  readonly vendor: string;
  /** Driver name from the kinds table (`junos`, `srlinux`, `eos`, `linux`, `ssh-cli`, `none`). */
  readonly driver: DriverName;
  readonly mgmtIpv4: string | undefined;
  readonly mgmtIpv6: string | undefined;
  /** Address the driver connects to: override, else mgmt IPv4, else IPv6, else the long name (in /etc/hosts). */
  readonly host: string;
  /** Port override (simulators, port-forwards); undefined = the driver's standard port for the kind. */
  readonly port: number | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly group: string | undefined;
  readonly image: string | undefined;
  /** Directory holding the topology file (parent of clab-<lab>/): config files are read relative to it. */
  readonly labDir: string;
  /** The file this node was read from (for messages). */
  readonly source: string;
  readonly credentials: Credentials;
  /** Set when the node is served by a `clab-bot agent` (the PostgreSQL + Redis mode): where, and whether it is alive. */
  readonly agent?: AgentPlacement;
}

/** Which agent owns a node, as the fleet saw it when the inventory was read. */
export interface AgentPlacement {
  readonly agentId: string;
  /** The agent's name (`--name`, default its host name): the HOST of `HOST:lab/node`. */
  readonly host: string;
  /** The lab's name on the agent (the fleet names it `HOST:lab` when two hosts have a lab of that name). */
  readonly lab: string;
  readonly alive: boolean;
  readonly heartbeatAgeMs: number;
}

export interface Credentials {
  readonly username: string;
  /** Never logged, rendered or stored: see src/redact. */
  readonly password: string;
}

export type DriverName = 'junos' | 'srlinux' | 'eos' | 'linux' | 'ssh-cli' | 'none';

/** A lab as the registry knows it. */
export interface Lab {
  readonly name: string;
  readonly dir: string;
  readonly source: string;
  readonly nodes: readonly LabNode[];
}

/** A problem with one file that did not stop the others from loading. */
export interface InventoryWarning {
  readonly file: string;
  readonly message: string;
}

/**
 * Which nodes a request targets (DESIGN.md §3). Every given field must match (intersection);
 * within a list field any entry may match. An empty selector matches nothing unless `all`.
 */
export interface Selector {
  /** Node names, short (`router1`) or long (`clab-dc1-router1`), or `lab/node`. */
  readonly names?: readonly string[];
  /** Kinds: canonical, containerlab alias or vendor-less short form (`vjunosrouter`, `srl`, `ceos`). */
  readonly kinds?: readonly string[];
  /** `KEY=VALUE` label matches. */
  readonly labels?: readonly { readonly key: string; readonly value: string }[];
  readonly groups?: readonly string[];
  readonly labs?: readonly string[];
  readonly all?: boolean;
}
