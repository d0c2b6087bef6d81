import type { Migration } from 'kysely';
import * as m0001 from './0001_audit_and_executions.js';
import * as m0002 from './0002_changes.js';
import * as m0003 from './0003_change_leases.js';
import * as m0004 from './0004_config_backups.js';
import * as m0005 from './0005_node_facts.js';
import * as m0006 from './0006_rendered_per_node.js';
import * as m0009 from './0009_agents.js';
import * as m0010 from './0010_plan_commit_confirmed.js';
import * as m0011 from './0011_request_threads.js';
import * as m0012 from './0012_replicas.js';

/** Every migration, in order. Add new ones here; never edit one that has shipped. */
export const migrations: Record<string, Migration> = {
  '0001_audit_and_executions': m0001,
  '0002_changes': m0002,
  '0003_change_leases': m0003,
  '0004_config_backups': m0004,
  '0005_node_facts': m0005,
  '0006_rendered_per_node': m0006,
  '0009_agents': m0009,
  '0010_plan_commit_confirmed': m0010,
  '0011_request_threads': m0011,
  '0012_replicas': m0012,
};
