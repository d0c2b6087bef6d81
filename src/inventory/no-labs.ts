import { ClabBotError } from '../errors.js';

/** Where the inventory looked: the lab paths given, and `containerlab inspect` when it was asked. */
export interface LabSearch {
  readonly paths: readonly string[];
  readonly inspect: boolean;
  /** The labs come from the agents registered in the shared database. */
  readonly agents?: boolean;
}

/** One line: where the bot looked for labs. */
export function describeSearch(search: LabSearch): string {
  if (search.agents) return 'no clab-bot agent has registered labs in the shared database (run `clab-bot agent` on each containerlab host)';
  const places = [...search.paths, ...(search.inspect ? ['containerlab inspect --all'] : [])];
  return places.length === 0 ? 'no lab directory is set (no --labs, CLAB_LABS or labs: in clab-bot.yaml)' : `looked in ${places.join(', ')}`;
}

export const POINT_AT_LABS =
  'point --labs at a directory holding clab-<lab>/topology-data.json or *.clab.yml (or a topology file), or set CLAB_LABS or labs: in clab-bot.yaml';

/**
 * A verb that needs nodes ran with no labs at all: "unknown node, run nodes to list them" would
 * send the user in a circle, so say where the bot looked and how to point it at labs.
 */
export class NoLabsError extends ClabBotError {
  readonly search: LabSearch;
  constructor(search: LabSearch) {
    super('no_labs', `no labs found: ${describeSearch(search)}`, { hint: POINT_AT_LABS });
    this.search = search;
  }
}
