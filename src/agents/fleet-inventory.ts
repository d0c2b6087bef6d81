import type { Inventory } from '../inventory/load.js';
import type { LabSearch } from '../inventory/no-labs.js';
import type { AgentPlacement, Lab, LabNode } from '../inventory/types.js';
import { InventorySnapshot } from '../inventory/snapshot.js';
import type { AgentsRepo } from './agents-repo.js';

/**
 * The labs of every registered agent, read from the shared database, as one inventory. A lab name
 * two hosts both use is named `HOST:lab` (so its nodes are `HOST:lab/node`); a unique one keeps its
 * name. Agents whose heartbeat is older than lost_after_sec stay listed, marked lost.
 */
export class FleetInventory extends InventorySnapshot {
  readonly #repo: AgentsRepo;
  readonly #lostAfterMs: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(repo: AgentsRepo, opts: { readonly lostAfterMs: number }) {
    super();
    this.#repo = repo;
    this.#lostAfterMs = opts.lostAfterMs;
  }

  /** Reads the fleet now. */
  async load(): Promise<Inventory> {
    const [agents, rows] = await Promise.all([this.#repo.agents(), this.#repo.nodes()]);
    const byId = new Map(agents.map((a) => [a.id, a]));
    const hostsOfLab = new Map<string, Set<string>>();
    for (const r of rows) {
      const a = byId.get(r.agentId);
      if (a) hostsOfLab.set(r.lab, (hostsOfLab.get(r.lab) ?? new Set()).add(a.id));
    }
    const nodes: LabNode[] = [];
    for (const r of rows) {
      const a = byId.get(r.agentId);
      if (!a) continue;
      const shared = (hostsOfLab.get(r.lab)?.size ?? 0) > 1;
      const agent: AgentPlacement = { agentId: a.id, host: a.host, lab: r.lab, alive: a.heartbeatAgeMs <= this.#lostAfterMs, heartbeatAgeMs: a.heartbeatAgeMs };
      nodes.push({
        lab: shared ? `${a.host}:${r.lab}` : r.lab,
        name: r.name,
        longName: r.longName,
        kind: r.kind,
        vendor: r.vendor,
        driver: r.driver,
        mgmtIpv4: r.mgmtIpv4,
        mgmtIpv6: r.mgmtIpv6,
        host: r.mgmtIpv4 ?? r.mgmtIpv6 ?? r.longName,
        port: undefined,
        labels: r.labels,
        group: r.group,
        image: r.image,
        labDir: '',
        source: `agent ${a.host}`,
        // The credentials stay on the agent's host; the agent logs in.
        credentials: { username: '', password: '' },
        agent,
      });
    }
    nodes.sort((x, y) => x.lab.localeCompare(y.lab) || x.name.localeCompare(y.name, 'en', { numeric: true }));
    const labs = new Map<string, LabNode[]>();
    for (const n of nodes) labs.set(n.lab, [...(labs.get(n.lab) ?? []), n]);
    this.current = {
      labs: [...labs].map(([name, labNodes]): Lab => ({ name, dir: '', source: describePlacement(labNodes[0]!.agent!), nodes: labNodes })),
      nodes,
      warnings: [],
    };
    return this.current;
  }

  /** Reads the fleet again every `ms` (serve); a failed read keeps the last one. */
  refreshEvery(ms: number, onError: (err: unknown) => void): void {
    this.#timer = setInterval(() => {
      this.load().catch(onError);
    }, ms);
    this.#timer.unref();
  }

  search(): LabSearch {
    return { paths: [], inspect: false, agents: true };
  }
  close(): void {
    clearInterval(this.#timer);
  }
}

/** `agent HOST (alive, heartbeat 2s ago)` or `agent HOST (LOST: no heartbeat for 41s)`. */
export function describePlacement(p: AgentPlacement): string {
  const age = `${Math.round(p.heartbeatAgeMs / 1000)}s`;
  return p.alive ? `agent ${p.host} (alive, heartbeat ${age} ago)` : `agent ${p.host} (LOST: no heartbeat for ${age})`;
}

/** The agent that owns a node of the fleet inventory. */
export function placementOf(node: LabNode): AgentPlacement {
  if (node.agent === undefined) throw new Error(`node ${node.lab}/${node.name} has no agent`);
  return node.agent;
}
