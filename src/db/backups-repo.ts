import { createHash } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { redactTextAsync } from '../redact/index.js';
import type { NodeRef } from '../model/node-ref.js';
import type { ConfigBackupsTable, Database } from './schema.js';

/** One saved configuration of a node (content redacted: secrets are masked). */
export interface BackupVersion extends NodeRef {
  readonly version: number;
  readonly content: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly takenAt: string;
  readonly takenBy: string;
  /** Where the version came from (BACKUP_ORIGIN): `manual`, `scheduled`, `before change #N`, `after change #N`, `adopted by NAME`. */
  readonly reason: string;
}

/** The origins `backup list` shows, stored in the version's `reason`. */
export const BACKUP_ORIGIN = {
  manual: 'manual',
  scheduled: 'scheduled',
  beforeChange: (changeId: number) => `before change #${changeId}`,
  afterChange: (changeId: number) => `after change #${changeId}`,
  adopted: (who: string) => `adopted by ${who}`,
} as const;

/** A version without its text, for listings. */
export type BackupSummary = Omit<BackupVersion, 'content'>;

export interface SaveBackup extends NodeRef {
  /** The running configuration as the device returned it; redacted here before anything is stored. */
  readonly content: string;
  readonly takenBy: string;
  readonly reason: string;
  /** Secret values known for this node (its login password) to mask on top of the structure rules. */
  readonly secrets?: readonly string[];
  /** Retention: versions kept for this node after the save (settings `backup.keep_versions`). */
  readonly keep: number;
  /** Retention: versions older than this many days are dropped after the save, the newest never (settings `backup.keep_days`). */
  readonly keepDays?: number | undefined;
  readonly now?: Date;
}

/** `saved`: a new version; `unchanged`: the newest version already holds this text. */
export type SaveOutcome =
  | { readonly status: 'saved'; readonly version: number; readonly sha256: string; readonly bytes: number; readonly pruned: number }
  | { readonly status: 'unchanged'; readonly version: number; readonly sha256: string; readonly bytes: number };

/** Attempts at a save that lost a race for the next version number to another process. */
const SAVE_ATTEMPTS = 3;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Comment lines a device writes into its configuration text that change without the
 * configuration changing: commit stamps and byte counts (Junos `## Last commit:`, IOS-XR `!! Last
 * configuration change`, IOS `Current configuration : N bytes`, EOS `! Command:`). They stay in
 * the stored text (who and when is worth seeing) but not in the hash that decides "changed".
 */
const VOLATILE_LINE =
  /^(?:## Last (?:commit|changed): .*|!! ?Last configuration change .*|! Last configuration change .*|! NVRAM config last updated .*|Current configuration : \d+ bytes|Building configuration\.\.\.|! Command: show running-config.*|! Startup-config last modified .*|! Time: .*)$/;

/** The sha256 that identifies a configuration: of its text without the volatile stamp lines. */
export function configHash(text: string): string {
  return sha256Hex(
    text
      .split('\n')
      .filter((line) => !VOLATILE_LINE.test(line.trimEnd()))
      .join('\n'),
  );
}

/** A running configuration as it is stored: every dialect's secret fields and the given values masked. */
export function redactConfig(text: string, secrets: readonly string[]): Promise<string> {
  return redactTextAsync(text, { secrets });
}

/**
 * Versions of nodes' running configurations. The only way text gets in is save(), which redacts it
 * (src/redact, every dialect's secret fields plus the given values): the database never holds a
 * secret. The hash is of the redacted text without its stamp lines (configHash), so neither a new
 * commit stamp nor a change of a secret alone makes a new version.
 */
export class BackupsRepo {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async save(input: SaveBackup): Promise<SaveOutcome> {
    const content = await redactConfig(input.content, input.secrets ?? []);
    const sha256 = configHash(content);
    const bytes = Buffer.byteLength(content, 'utf8');
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#db.transaction().execute(async (tx) => {
          const newest = await tx
            .selectFrom('config_backups')
            .select(['version', 'sha256', 'bytes'])
            .where('lab', '=', input.lab)
            .where('node', '=', input.name)
            .orderBy('version', 'desc')
            .limit(1)
            .executeTakeFirst();
          const now = input.now ?? new Date();
          if (newest && newest.sha256 === sha256) {
            // Unchanged still ages out old versions: a node backed up nightly without changes keeps to its days.
            if (input.keepDays !== undefined) await pruneOlder(tx, input, newest.version, now, input.keepDays);
            return { status: 'unchanged', version: newest.version, sha256, bytes: newest.bytes } as const;
          }
          const version = (newest?.version ?? 0) + 1;
          await tx
            .insertInto('config_backups')
            .values({
              lab: input.lab,
              node: input.name,
              version,
              content,
              sha256,
              bytes,
              taken_at: now.toISOString(),
              taken_by: input.takenBy,
              reason: input.reason,
            })
            .execute();
          const pruned = await tx
            .deleteFrom('config_backups')
            .where('lab', '=', input.lab)
            .where('node', '=', input.name)
            .where('version', '<=', version - input.keep)
            .executeTakeFirst();
          const aged = input.keepDays === undefined ? 0 : await pruneOlder(tx, input, version, now, input.keepDays);
          return { status: 'saved', version, sha256, bytes, pruned: Number(pruned.numDeletedRows) + aged } as const;
        });
      } catch (err) {
        // Another process took this version number first (unique lab, node, version): read again.
        if (attempt >= SAVE_ATTEMPTS || !uniqueViolation(err)) throw err;
      }
    }
  }

  /** A node's versions, newest first. */
  async list(node: NodeRef): Promise<BackupSummary[]> {
    const rows = await this.#db
      .selectFrom('config_backups')
      .select(['lab', 'node', 'version', 'sha256', 'bytes', 'taken_at', 'taken_by', 'reason'])
      .where('lab', '=', node.lab)
      .where('node', '=', node.name)
      .orderBy('version', 'desc')
      .execute();
    return rows.map(summaryOf);
  }

  /** One version, or the newest when `version` is undefined; undefined when there is none. */
  async get(node: NodeRef, version?: number): Promise<BackupVersion | undefined> {
    let q = this.#db.selectFrom('config_backups').selectAll().where('lab', '=', node.lab).where('node', '=', node.name);
    q = version === undefined ? q.orderBy('version', 'desc').limit(1) : q.where('version', '=', version);
    const row = await q.executeTakeFirst();
    return row === undefined ? undefined : { ...summaryOf(row), content: row.content };
  }
}

/** Drops a node's versions taken more than `days` before `now`, except the newest (`keepVersion`): the baseline stays. */
async function pruneOlder(tx: Kysely<Database>, node: NodeRef, keepVersion: number, now: Date, days: number): Promise<number> {
  const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
  const result = await tx
    .deleteFrom('config_backups')
    .where('lab', '=', node.lab)
    .where('node', '=', node.name)
    .where('version', '<', keepVersion)
    .where('taken_at', '<', cutoff)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

function summaryOf(r: Omit<Selectable<ConfigBackupsTable>, 'id' | 'content'>): BackupSummary {
  return {
    lab: r.lab,
    name: r.node,
    version: r.version,
    sha256: r.sha256,
    bytes: r.bytes,
    takenAt: r.taken_at,
    takenBy: r.taken_by,
    reason: r.reason,
  };
}

/** SQLite's SQLITE_CONSTRAINT_UNIQUE or PostgreSQL's 23505. */
function uniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}
