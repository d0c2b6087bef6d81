import * as z from 'zod';
import type { ConfigMethod } from '../drivers/contract.js';
import type { Selector } from '../inventory/types.js';
import type { ConfigSource } from '../model/config-source.js';

import { VERBS, type Verb } from './verbs.js';

export { VERBS, type Verb } from './verbs.js';

/** `help TOPIC`: a verb, or the selector syntax shared by several verbs. */
export const HELP_TOPICS = [...VERBS, 'selectors'] as const;
export type HelpTopic = (typeof HELP_TOPICS)[number];

export const EXEC_FORMATS = ['text', 'json', 'xml'] as const;
/** `graph --check`: alone, a reachability probe (`reach`); `ospf` / `bgp` read adjacencies. */
export const GRAPH_CHECKS = ['reach', 'ospf', 'bgp'] as const;
/** `graph --output`: a picture (png, svg) or its source (Graphviz dot, a mermaid flowchart). */
export const GRAPH_OUTPUTS = ['png', 'svg', 'dot', 'mermaid'] as const;
export const CONFIG_METHOD_CHOICES = ['merge', 'override', 'replace', 'set'] as const;
// Compile-time check: the same methods as the driver contract.
true satisfies (typeof CONFIG_METHOD_CHOICES)[number] extends ConfigMethod
  ? ConfigMethod extends (typeof CONFIG_METHOD_CHOICES)[number]
    ? true
    : never
  : never;
export const CHANGE_ACTIONS = ['approve', 'reject', 'cancel', 'replan', 'resolve'] as const;
/** What `change N resolve` records about a change whose outcome was unknown. */
export const CHANGE_OUTCOMES = ['committed', 'not-committed'] as const;
export const CHANGE_FILTERS = ['pending', 'mine', 'all'] as const;
/** `backup` alone saves; the other words read what was saved. */
export const BACKUP_ACTIONS = ['save', 'list', 'show', 'diff', 'export'] as const;

/** Bounds checked by the parser and by the schema; help prints them. */
export const LIMITS = {
  /** Longer text is refused before any work (bounded cost, bounded echo in messages). */
  inputChars: 8000,
  timeoutSec: { min: 1, max: 3600 },
  /** Outer bound (the widest any driver takes); each node's own limit (DriverTraits) is checked at proposal. */
  confirmMinutes: { min: 1, max: 65535 },
  /** Outer bound (the deepest any driver keeps); each node's own depth (DriverTraits) is checked at proposal. */
  rollbackIndex: { min: 0, max: 49 },
  historyLimit: { min: 1, max: 500, default: 20 },
  changeId: { min: 1, max: Number.MAX_SAFE_INTEGER },
  backupVersion: { min: 1, max: 2_000_000_000 },
  names: 256,
  nameChars: 128,
  textChars: 1000,
  commentChars: 512,
  /** `--var` pairs per request. */
  vars: 64,
} as const;

/** A `--var` name: names joined by dots (`bgp.asn` is vars.bgp.asn in the template). */
export const VAR_KEY = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const templateVars = z
  .array(z.strictObject({ key: z.string().max(LIMITS.nameChars).regex(VAR_KEY, 'not a valid --var name'), value: z.string().max(LIMITS.textChars) }))
  .max(LIMITS.vars);

/** containerlab node and lab names: letters, digits, `-`, `_`, `.`; a node may be written `lab/node`. */
/** `node`, `lab/node`, or `HOST:lab/node` (two agents' hosts with a lab of the same name). */
export const NODE_NAME = /^(?:(?:[A-Za-z0-9][A-Za-z0-9_.-]*:)?[A-Za-z0-9][A-Za-z0-9_.-]*\/)?[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** `lab`, or `HOST:lab` (see NODE_NAME). */
export const LAB_NAME = /^(?:[A-Za-z0-9][A-Za-z0-9_.-]*:)?[A-Za-z0-9][A-Za-z0-9_.-]*$/;
export const GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;
/** Kinds are lower case (`juniper_vjunosrouter`, `srl`, older `vr-vmx`). */
export const KIND_NAME = /^[a-z0-9][a-z0-9_-]*$/;
const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9_.\/-]*$/;

const name = (pattern: RegExp, what: string) =>
  z.string().max(LIMITS.nameChars).regex(pattern, `not a valid ${what}`);
const one = <T extends z.ZodType>(item: T) => z.array(item).length(1);

/**
 * What the grammar can express of inventory's Selector: any number of names, at most one kind,
 * label, group and lab, and `all`. Every given field must match (intersection).
 */
export const selectorSchema = z
  .strictObject({
    names: z.array(name(NODE_NAME, 'node name')).min(1).max(LIMITS.names).optional(),
    kinds: one(name(KIND_NAME, 'kind')).optional(),
    labels: one(z.strictObject({ key: name(LABEL_KEY, 'label key'), value: z.string().min(1).max(LIMITS.nameChars) })).optional(),
    groups: one(name(GROUP_NAME, 'group')).optional(),
    labs: one(name(LAB_NAME, 'lab name')).optional(),
    all: z.literal(true).optional(),
  })
  .refine((s) => Object.values(s).some((v) => v !== undefined), 'a selector names nodes, a kind, label, group or lab, or --all');
export type RequestSelector = z.infer<typeof selectorSchema>;
// Compile-time check: the request's selector is handed to inventory.select as is.
true satisfies (RequestSelector extends Selector ? true : never);

const int = (bounds: { readonly min: number; readonly max: number }) => z.number().int().min(bounds.min).max(bounds.max);
const text = (max: number) => z.string().min(1).max(max);

export const configSourceSchema = z.discriminatedUnion('type', [
  /** A file relative to the lab's directory or a configured configs directory (checked by ops). */
  z.strictObject({ type: z.literal('file'), path: text(LIMITS.textChars) }),
  /** A file already on the device. */
  z.strictObject({ type: z.literal('device-file'), path: text(LIMITS.textChars) }),
  /** The device's own rollback N. */
  z.strictObject({ type: z.literal('rollback'), index: int(LIMITS.rollbackIndex) }),
  /** A template (confined like `file`) rendered per node with these --var pairs (src/templates). */
  z.strictObject({ type: z.literal('template'), path: text(LIMITS.textChars), vars: templateVars }),
  /** No source given: Slack opens a modal to paste the config; the terminal reads stdin. */
  z.strictObject({ type: z.literal('inline') }),
]);
/**
 * The source as the user names it: `file` and `inline` are read into a `text` ConfigSource, and
 * `template` is rendered into a `template` one, by ops/request-runner.ts (the grammar → model
 * mapping); the other kinds are the model's as they are.
 */
export type RequestConfigSource = z.infer<typeof configSourceSchema>;
// Compile-time check: device-file and rollback pass to the model unchanged.
true satisfies (Exclude<RequestConfigSource, { type: 'file' | 'inline' | 'template' }> extends ConfigSource ? true : never);

/** How `nodes` shows facts: `cached` (--facts) or `refresh` (--refresh). */
export const NODE_FACTS_MODES = ['cached', 'refresh'] as const;

export const requestSchema = z.discriminatedUnion('verb', [
  z.strictObject({ verb: z.literal('help'), topic: z.enum(HELP_TOPICS).optional() }),
  z.strictObject({ verb: z.literal('labs') }),
  z.strictObject({
    verb: z.literal('nodes'),
    selector: selectorSchema,
    /** --facts: stored facts (read when missing); --refresh: read from every node now. Absent: the inventory only. */
    facts: z.enum(NODE_FACTS_MODES).optional(),
  }),
  z.strictObject({
    verb: z.literal('graph'),
    selector: selectorSchema,
    /** Read now: reachability, or the OSPF / BGP adjacency of every link from both ends. Absent: the stored state. */
    check: z.enum(GRAPH_CHECKS).optional(),
    output: z.enum(GRAPH_OUTPUTS).optional(),
    /** Terminal only: the file to write (its extension gives the format unless --output does). */
    out: text(LIMITS.textChars).optional(),
  }),
  z.strictObject({
    verb: z.literal('exec'),
    selector: selectorSchema,
    /** Sent to the device as typed (pipes and quotes kept). */
    command: text(LIMITS.inputChars),
    format: z.enum(EXEC_FORMATS),
    timeoutSec: int(LIMITS.timeoutSec).optional(),
  }),
  z.strictObject({
    verb: z.literal('config'),
    selector: selectorSchema,
    source: configSourceSchema,
    method: z.enum(CONFIG_METHOD_CHOICES),
    dryRun: z.boolean(),
    /** commit confirmed minutes; undefined = the default of the change lifecycle. */
    confirmMinutes: int(LIMITS.confirmMinutes).optional(),
    /** Operational command run after the commit; the commit is confirmed only if it succeeds. */
    check: text(LIMITS.textChars).optional(),
    comment: text(LIMITS.commentChars).optional(),
  }),
  z.strictObject({
    verb: z.literal('render'),
    selector: selectorSchema,
    /** The template file, confined like `config --template`. */
    template: text(LIMITS.textChars),
    vars: templateVars,
  }),
  z.strictObject({
    verb: z.literal('rollback'),
    selector: selectorSchema,
    /** The device's rollback number: 1 = the configuration before the last commit. */
    index: int({ min: 1, max: LIMITS.rollbackIndex.max }),
  }),
  z.strictObject({ verb: z.literal('changes'), filter: z.enum(CHANGE_FILTERS) }),
  z
    .strictObject({
      verb: z.literal('change'),
      id: int(LIMITS.changeId),
      action: z.enum(CHANGE_ACTIONS).optional(),
      /** `resolve` only: what the admin found on the devices. */
      outcome: z.enum(CHANGE_OUTCOMES).optional(),
      reason: text(LIMITS.commentChars).optional(),
    })
    .refine((r) => (r.action === 'resolve') === (r.outcome !== undefined), '`change N resolve` takes --committed or --not-committed, and only resolve does')
    .refine((r) => r.reason === undefined || r.action === 'resolve', '--reason goes with `change N resolve`'),
  z
    .strictObject({
      verb: z.literal('backup'),
      action: z.enum(BACKUP_ACTIONS),
      selector: selectorSchema,
      /** show: [VERSION]; diff: [V1] [V2] (default the newest, the newest two). */
      versions: z.array(int(LIMITS.backupVersion)).max(2),
      /** export only: the directory the files go to (on the host that runs clab-bot). */
      dir: text(LIMITS.textChars).optional(),
    })
    .refine((r) => (r.action === 'export') === (r.dir !== undefined), '`backup export` takes --dir DIR, and only export does'),
  z.strictObject({ verb: z.literal('drift'), selector: selectorSchema }),
  z.strictObject({ verb: z.literal('history'), selector: selectorSchema.optional(), limit: int(LIMITS.historyLimit) }),
  z.strictObject({ verb: z.literal('whoami') }),
]);

/** A parsed command: what the user asked for, validated, with defaults filled in. */
export type Request = z.infer<typeof requestSchema>;
export type RequestOf<V extends Verb> = Extract<Request, { verb: V }>;
export type ExecFormat = (typeof EXEC_FORMATS)[number];
export type RequestConfigMethod = (typeof CONFIG_METHOD_CHOICES)[number];
export type ChangeAction = (typeof CHANGE_ACTIONS)[number];
export type ChangeFilter = (typeof CHANGE_FILTERS)[number];
export type ChangeOutcome = (typeof CHANGE_OUTCOMES)[number];
export type BackupAction = (typeof BACKUP_ACTIONS)[number];
