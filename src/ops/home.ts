import type { Executions } from '../db/executions.js';
import type { NodeFactsRepo } from '../db/node-facts.js';
import type { RequestThread, RequestThreadsRepo } from '../db/request-threads.js';
import { nodeKey } from '../model/node-ref.js';
import type { Subject } from '../permissions/subject.js';
import type { ChangeService } from './changes/change-service.js';
import type { ChangeView } from './changes/types.js';
import type { NodeState } from '../graph/model.js';
import { storedState } from './graph-ops.js';
import type { RequestRunner } from './request-runner.js';

/** One lab as a user may see it: the nodes in their sight, counted by reachability. */
export interface LabInSight {
  readonly name: string;
  readonly nodes: number;
  readonly counts: Readonly<Record<NodeState, number>>;
}

/** What a user's home page shows: their labs, the changes waiting for their approval, their last requests. */
export interface HomeSummary {
  readonly labs: readonly LabInSight[];
  /** Planned changes this user may approve now, oldest first (the next to expire on top). */
  readonly awaiting: readonly ChangeView[];
  /** Their last chat requests, newest first. */
  readonly recent: readonly RequestThread[];
}

export interface HomeServiceDeps {
  readonly runner: Pick<RequestRunner, 'mayApprove' | 'nodesInSight'>;
  readonly changes: Pick<ChangeService, 'list'>;
  readonly facts: Pick<NodeFactsRepo, 'get'>;
  readonly executions: Pick<Executions, 'latestFor'>;
  readonly threads: RequestThreadsRepo;
}

/** Open changes looked at for a home page; more than this waiting at once is not a lab any more. */
const OPEN_CHANGES_SCANNED = 200;

/**
 * A user's overview, built from what the bot already knows (no device is contacted): the policy
 * decides which labs and changes they see, exactly as their requests and button presses are decided.
 */
export class HomeService {
  readonly #deps: HomeServiceDeps;
  constructor(deps: HomeServiceDeps) {
    this.#deps = deps;
  }

  async summary(subject: Subject, userId: string, opts: { readonly recentLimit: number }): Promise<HomeSummary> {
    const [labs, awaiting, recent] = await Promise.all([
      this.labsInSight(subject),
      this.awaiting(subject),
      this.#deps.threads.recentFor(userId, opts.recentLimit),
    ]);
    return { labs, awaiting, recent };
  }

  /** The changes waiting for `subject`'s approval. */
  async awaiting(subject: Subject): Promise<ChangeView[]> {
    const open = await this.#deps.changes.list({ filter: 'pending', actorId: '', limit: OPEN_CHANGES_SCANNED });
    return open.filter((c) => this.#deps.runner.mayApprove(subject, c)).sort((a, b) => a.id - b.id);
  }

  async labsInSight(subject: Subject): Promise<LabInSight[]> {
    const nodes = this.#deps.runner.nodesInSight(subject);
    const [facts, execs] = await Promise.all([this.#deps.facts.get(nodes), this.#deps.executions.latestFor(nodes)]);
    const now = new Date();
    const byLab = new Map<string, { nodes: number; counts: Record<NodeState, number> }>();
    for (const node of nodes) {
      const lab = byLab.get(node.lab) ?? { nodes: 0, counts: { reachable: 0, unreachable: 0, unknown: 0 } };
      lab.nodes += 1;
      // The same reading as graph's overlay: the newer of the last facts read and the last exec.
      lab.counts[storedState(facts.get(nodeKey(node)), execs.get(nodeKey(node)), now).state] += 1;
      byLab.set(node.lab, lab);
    }
    return [...byLab.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, l]) => ({ name, ...l }));
  }

  /** Records where a chat request was answered, for the links on its requester's home page. */
  /** Where a request was answered (any replica may ask: it is in the database). */
  threadOf(requestId: string): Promise<RequestThread | undefined> {
    return this.#deps.threads.get(requestId);
  }

  recordThread(thread: RequestThread): Promise<void> {
    return this.#deps.threads.record(thread);
  }
}
