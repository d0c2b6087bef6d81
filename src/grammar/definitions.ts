import {
  CHANGE_ACTIONS,
  CONFIG_METHOD_CHOICES,
  EXEC_FORMATS,
  GRAPH_CHECKS,
  GRAPH_OUTPUTS,
  GROUP_NAME,
  KIND_NAME,
  LAB_NAME,
  LIMITS,
  type Verb,
} from './request.js';

/**
 * The one table of the grammar: the parser reads flags and value rules from it, help and usage
 * lines are generated from it. Positional words are handled per verb in parse.ts and shown here
 * in `before`/`after` for usage lines.
 */

export type ValueSpec =
  /** `optional`: the flag may stand alone, meaning that choice (`--check` = `--check reach`). */
  | { readonly type: 'choice'; readonly choices: readonly string[]; readonly optional?: string }
  | { readonly type: 'int'; readonly placeholder: string; readonly min: number; readonly max: number }
  | { readonly type: 'names'; readonly placeholder: string; readonly list: boolean }
  | { readonly type: 'word'; readonly placeholder: string; readonly pattern: RegExp; readonly what: string; readonly lowerCase: boolean }
  | { readonly type: 'label'; readonly placeholder: string }
  | { readonly type: 'text'; readonly placeholder: string; readonly maxChars: number };

export interface FlagDef {
  /** `--format` */
  readonly name: string;
  /** Absent: a switch that takes no value. */
  readonly value?: ValueSpec;
  readonly summary: string;
  /** Flags sharing a group are alternatives: at most one may be given. */
  readonly group?: string;
  /** Must be given (shown without brackets in usage lines; the parser says so when it is missing). */
  readonly required?: true;
  /** May be given several times (`--var a=1 --var b=2`); the values are kept in order. */
  readonly repeatable?: true;
}

export interface VerbDef {
  readonly verb: Verb;
  /** One line for the verb list of `help`. */
  readonly summary: string;
  /** Further lines for `help VERB`. */
  readonly details: readonly string[];
  /** Whether the verb takes a SELECTOR (positional names or selector flags). */
  readonly selector: 'required' | 'optional' | 'none';
  /** Usage words between the verb and its flags. */
  readonly before: readonly string[];
  readonly flags: readonly FlagDef[];
  /** Usage words after the flags. */
  readonly after: readonly string[];
  /** Without the `/clab` or `clab-bot` prefix. Each must survive a POSIX shell as written. */
  readonly examples: readonly string[];
  /** Lines for `help VERB` in a terminal only (how a shell treats the words). */
  readonly shellNotes?: readonly string[];
}

export const SELECTOR_FLAGS: readonly FlagDef[] = [
  {
    name: '--node',
    value: { type: 'names', placeholder: 'NAME', list: false },
    summary: 'one node, by name (router1, clab-dc1-router1 or dc1/router1)',
    group: 'names',
  },
  { name: '--nodes', value: { type: 'names', placeholder: 'A,B', list: true }, summary: 'several nodes, comma-separated', group: 'names' },
  {
    name: '--kind',
    value: { type: 'word', placeholder: 'KIND', pattern: KIND_NAME, what: 'kind', lowerCase: true },
    summary: 'nodes of a kind: canonical, containerlab alias or short form (vjunosrouter, srl, ceos)',
  },
  { name: '--label', value: { type: 'label', placeholder: 'KEY=VALUE' }, summary: 'nodes carrying a label' },
  {
    name: '--group',
    value: { type: 'word', placeholder: 'GROUP', pattern: GROUP_NAME, what: 'group', lowerCase: false },
    summary: 'nodes of a topology group',
  },
  { name: '--lab', value: { type: 'word', placeholder: 'LAB', pattern: LAB_NAME, what: 'lab name', lowerCase: false }, summary: 'nodes of one lab' },
  { name: '--all', summary: 'every node (combine with the flags above to narrow it)' },
];

const HELP_FLAG: FlagDef = { name: '--help', summary: 'show the help of this verb' };

/** `--var KEY=VALUE` of config --template and render. */
const VAR_FLAG: FlagDef = {
  name: '--var',
  value: { type: 'text', placeholder: 'KEY=VALUE', maxChars: LIMITS.textChars },
  summary: 'a template variable, read as vars.KEY (repeat for more; a dotted KEY nests)',
  repeatable: true,
};

export const VERB_DEFS: Readonly<Record<Verb, VerbDef>> = {
  help: {
    verb: 'help',
    summary: 'what you can run, with examples; `help VERB` for one verb',
    details: ['TOPIC is a verb or `selectors`.'],
    selector: 'none',
    before: ['[TOPIC]'],
    flags: [],
    after: [],
    examples: ['help', 'help exec', 'help selectors'],
  },
  labs: {
    verb: 'labs',
    summary: 'labs found, their node counts and the files they came from',
    details: [],
    selector: 'none',
    before: [],
    flags: [],
    after: [],
    examples: ['labs'],
  },
  nodes: {
    verb: 'nodes',
    summary: 'name, lab, kind, vendor, management address and labels of nodes; --facts: model, version, serial, uptime',
    details: [
      'Without a selector, every node of every lab.',
      '--facts shows what each node reports about itself, from the facts stored when it was last read; only nodes never read are asked now.',
      'Facts older than facts.max_age_minutes (default 60) are marked stale with their age; a node that cannot be reached shows its last facts and the error.',
      'Facts are read again after every change committed on a node.',
    ],
    selector: 'optional',
    before: ['[SELECTOR]'],
    flags: [
      { name: '--facts', summary: 'model, software version, serial and uptime of each node (stored facts, read when missing)' },
      { name: '--refresh', summary: 'read the facts from every selected node now (implies --facts)' },
    ],
    after: [],
    examples: ['nodes', 'nodes --lab dc1', 'nodes --kind srl --label role=spine', 'nodes --facts', 'nodes router1 --facts --refresh'],
  },
  graph: {
    verb: 'graph',
    summary: 'a picture of labs: nodes by vendor, links with the interface at each end, what is up and what is down',
    details: [
      'Without a selector, every lab; a single word that is a lab name draws that lab (graph dc1).',
      'Nodes are shaped and filled by vendor and outlined by state: green reachable, red unreachable, grey unknown, from the last facts read or exec.',
      '--check alone reads every node now (as nodes --refresh does); --check ospf or --check bgp runs the neighbour command on each router (Junos, FRR) and colours each link by what both ends report: red when an end is down, unreachable or has no neighbour there.',
      '--check ospf|bgp runs show commands on the nodes, so it needs the right to exec them (show ospf neighbor, show ip ospf neighbor, show bgp neighbor, show bgp neighbors).',
      'Hosts (kind linux) without links are counted per group; groups (or the role label) are drawn as boxes.',
      'Slack posts a PNG in a thread; the terminal prints a summary, or writes --out FILE (png, svg, dot, mmd) or --output FORMAT to standard output.',
    ],
    selector: 'optional',
    before: ['[SELECTOR]'],
    flags: [
      {
        name: '--check',
        value: { type: 'choice', choices: GRAPH_CHECKS, optional: 'reach' },
        summary: 'read the state now: alone, reachability; ospf or bgp, the adjacency of every link from both ends',
      },
      { name: '--output', value: { type: 'choice', choices: GRAPH_OUTPUTS }, summary: 'png or svg picture, Graphviz dot or a mermaid flowchart (default png)' },
      {
        name: '--out',
        value: { type: 'text', placeholder: 'FILE', maxChars: LIMITS.textChars },
        summary: 'terminal: write to FILE; .png, .svg, .dot or .mmd picks the format',
      },
    ],
    after: [],
    examples: ['graph dc1', 'graph --lab dc1 --check ospf', 'graph --lab dc1 --out dc1.png', 'graph --lab dc1 --output mermaid'],
  },
  exec: {
    verb: 'exec',
    summary: 'run an operational command on nodes',
    details: [
      'The first word names the nodes (router1 or router1,router2) unless a selector flag is given.',
      "clab-bot's own options come before the command; from the first command word on, the text goes to the device as typed, pipes and quotes included.",
      'Put -- before a command that starts with - or that contains --format or --timeout itself.',
    ],
    shellNotes: ['In a shell, quote the whole command when it holds | or quotes, so the shell passes them to the device instead of acting on them.'],
    selector: 'required',
    before: ['SELECTOR'],
    flags: [
      {
        name: '--format',
        value: { type: 'choice', choices: EXEC_FORMATS },
        summary: 'output format; json and xml where the device supports them (default text)',
      },
      {
        name: '--timeout',
        value: { type: 'int', placeholder: 'SEC', min: LIMITS.timeoutSec.min, max: LIMITS.timeoutSec.max },
        summary: 'give up on a node after SEC seconds',
      },
    ],
    after: ['COMMAND...'],
    examples: [
      'exec router1 show version',
      'exec router1,router2 show ospf neighbor',
      'exec --kind vjunosrouter --format json show interfaces terse',
      'exec --lab dc1 --label role=spine \'show route | match "10.0.0.1"\'',
    ],
  },
  config: {
    verb: 'config',
    summary: 'plan a configuration change, show the diffs, apply it after approval',
    details: [
      'Without --file, --device-file or --rollback, Slack opens a form to paste the configuration; the terminal reads it from standard input.',
      '--file is relative to the lab directory (the folder holding the topology file) or a configured configs directory; a path outside them is refused.',
      '--template renders one configuration per node from a Jinja2 template (found like --file), with node, lab and vars in scope; each node is planned with its own text, and the change keeps every rendering: approval commits exactly those (`help render`).',
      'The terminal (unless bound to a Slack user) reads any file you can read, relative to the current directory first.',
      '--dry-run shows the diffs and commit check results only: nothing is locked or applied.',
      'The commit is confirmed after --confirm MINUTES unless --check fails, in which case the device rolls it back.',
    ],
    selector: 'required',
    before: ['SELECTOR'],
    flags: [
      {
        name: '--file',
        value: { type: 'text', placeholder: 'PATH', maxChars: LIMITS.textChars },
        summary: 'configuration file in the lab directory',
        group: 'source',
      },
      {
        name: '--template',
        value: { type: 'text', placeholder: 'PATH', maxChars: LIMITS.textChars },
        summary: 'Jinja2 template in the lab directory, rendered for each node (see `help render`)',
        group: 'source',
      },
      {
        name: '--device-file',
        value: { type: 'text', placeholder: 'PATH', maxChars: LIMITS.textChars },
        summary: 'configuration file already on the device',
        group: 'source',
      },
      {
        name: '--rollback',
        value: { type: 'int', placeholder: 'N', min: LIMITS.rollbackIndex.min, max: LIMITS.rollbackIndex.max },
        summary: "the device's own rollback N; 1 is the configuration before the last commit",
        group: 'source',
      },
      VAR_FLAG,
      { name: '--method', value: { type: 'choice', choices: CONFIG_METHOD_CHOICES }, summary: 'how the configuration is loaded (default merge)' },
      { name: '--dry-run', summary: 'plan and show the diffs only' },
      {
        name: '--confirm',
        value: { type: 'int', placeholder: 'MINUTES', min: LIMITS.confirmMinutes.min, max: LIMITS.confirmMinutes.max },
        summary: 'commit confirmed: the device rolls back unless confirmed within MINUTES',
      },
      {
        name: '--check',
        value: { type: 'text', placeholder: 'COMMAND', maxChars: LIMITS.textChars },
        summary: 'command run after the commit; the commit is confirmed only if it succeeds',
      },
      { name: '--comment', value: { type: 'text', placeholder: 'TEXT', maxChars: LIMITS.commentChars }, summary: 'commit comment' },
    ],
    after: [],
    examples: [
      'config router1 --file configs/router1.conf --dry-run',
      'config --lab dc1 --kind vjunosrouter --file ntp.set --method set --comment "NTP servers"',
      'config router1 --rollback 1 --confirm 5 --check "show bgp summary"',
      'config --kind vjunosrouter --template ospf.j2 --var area=0.0.0.0 --dry-run',
      'config router1',
    ],
  },
  render: {
    verb: 'render',
    summary: 'print the configuration a template renders for each node (no device is touched)',
    details: [
      'The template is Jinja2 (nunjucks): {{ node.name }}, {% for l in node.links %}...{% endfor %}, filters such as upper, replace, join.',
      'In scope: node (name, lab, kind, vendor, mgmt_ipv4, mgmt_ipv6, labels, env, index: the number in the name, links: interface, peer, peer_interface, ipv4, ipv6), lab (name, vars) and vars (the --var pairs).',
      '--var KEY=VALUE is a string; a dotted key nests (--var bgp.asn=65001 is vars.bgp.asn). Give --var once per pair.',
      'A name that does not exist is an error naming it, the line and the node; test optional ones with {% if "key" in vars %}.',
      'Templates cannot include, import or extend other files, nor reach anything but node, lab and vars.',
      'The template is found like config --file: in the lab directory or configs_dir. Rendering reads no device but shows configuration: it needs the right to plan config (`config: plan`).',
    ],
    selector: 'required',
    before: ['SELECTOR'],
    flags: [
      {
        name: '--template',
        value: { type: 'text', placeholder: 'PATH', maxChars: LIMITS.textChars },
        summary: 'the Jinja2 template, in the lab directory or configs_dir',
        required: true,
      },
      VAR_FLAG,
    ],
    after: [],
    examples: ['render --kind vjunosrouter --template ospf.j2', 'render r1,r2 --template bgp.j2 --var asn=65001 --var bgp.group=core'],
  },
  rollback: {
    verb: 'rollback',
    summary: 'return nodes to an earlier committed configuration (after approval)',
    details: [
      "N is the device's rollback number: 1, the default, is the configuration before the last commit; the device keeps up to 49.",
      'For a dry run, or --confirm, --check or --comment, use `config SELECTOR --rollback N`.',
    ],
    selector: 'required',
    before: ['SELECTOR', '[N]'],
    flags: [],
    after: [],
    examples: ['rollback router1', 'rollback router1,router2 2', 'rollback --lab dc1 --kind srl 1'],
  },
  changes: {
    verb: 'changes',
    summary: 'change requests and their state',
    details: ['Without a flag, the changes waiting for approval.'],
    selector: 'none',
    before: [],
    flags: [
      { name: '--pending', summary: 'changes waiting for approval (default)', group: 'filter' },
      { name: '--mine', summary: 'changes you requested', group: 'filter' },
      { name: '--all', summary: 'every change, newest first', group: 'filter' },
    ],
    after: [],
    examples: ['changes', 'changes --mine'],
  },
  change: {
    verb: 'change',
    summary: 'show one change request, or approve, reject, cancel, re-plan or resolve it',
    details: [
      'ID is the number shown in the thread (42 or #42). The words do what the buttons do.',
      'replan plans again with the same configuration (after fixing a node whose plan failed, or to refresh an old diff); approvals given so far are void.',
      'resolve (admins) records the outcome of a change whose outcome is unknown, after checking the devices: --committed when they hold it, --not-committed when they do not.',
    ],
    selector: 'none',
    before: ['ID', `[${CHANGE_ACTIONS.join('|')}]`],
    flags: [
      { name: '--committed', summary: 'resolve: the devices hold the change', group: 'outcome' },
      { name: '--not-committed', summary: 'resolve: the devices do not hold it (never committed, or rolled back)', group: 'outcome' },
      {
        name: '--reason',
        value: { type: 'text', placeholder: 'TEXT', maxChars: LIMITS.commentChars },
        summary: 'resolve: what you checked, kept with the change and in the audit log',
      },
    ],
    after: [],
    examples: [
      'change 42',
      'change 42 approve',
      'change 42 cancel',
      'change 42 replan',
      'change 42 resolve --not-committed --reason "show system commit: rolled back"',
    ],
  },
  backup: {
    verb: 'backup',
    summary: "save nodes' running configurations, list, show, diff or export the saved versions",
    details: [
      '`backup SELECTOR` saves each node\'s running configuration as a new version when it changed since the last one (without a selector, every node).',
      '`backup list NODE` lists the versions; `backup show NODE [VERSION]` prints one (default the newest); `backup diff NODE [V1] [V2]` compares two (default the newest two; with one, that version and the newest).',
      '`backup export SELECTOR --dir DIR` writes the newest version of each node to DIR/<lab>/<node>.cfg (terminal only: DIR is on the host that runs clab-bot).',
      'Secrets (passwords, keys, communities) are masked before a backup is stored: an exported backup needs them entered again before it is loaded.',
      'Reading configurations needs the right to plan config (`config: plan`) on the nodes.',
    ],
    selector: 'optional',
    before: ['[list|show|diff|export]', '[SELECTOR]', '[VERSION...]'],
    flags: [
      {
        name: '--dir',
        value: { type: 'text', placeholder: 'DIR', maxChars: LIMITS.textChars },
        summary: 'export: the directory to write <lab>/<node>.cfg files into',
      },
    ],
    after: [],
    examples: ['backup --all', 'backup router1,router2', 'backup list router1', 'backup show router1 3', 'backup diff router1', 'backup export --lab dc1 --dir ./saved'],
  },
  drift: {
    verb: 'drift',
    summary: "compare nodes' running configurations with what the bot last committed or backed up",
    details: [
      "Each node's baseline is its newest saved configuration: the one after the bot's last commit, the last `backup`, or an adopted drift, whichever is newest (without a selector, every node).",
      'Per node: in sync; drifted, with the unified diff and the device\'s last commit that the bot did not make (who, when, comment) where the device keeps a commit log; no baseline (save one with `backup NODE`); or unreachable.',
      'In Slack a drifted node gets Adopt (the running configuration becomes the baseline) and Restore (a change back to the baseline, through approval).',
      'Secrets are masked in the diff. Reading configurations needs the right to plan config (`config: plan`) on the nodes.',
      'Exit code 3 when every node was read and some drifted; 1 when a node could not be read.',
    ],
    selector: 'optional',
    before: ['[SELECTOR]'],
    flags: [],
    after: [],
    examples: ['drift --all', 'drift --lab dc1', 'drift router1'],
  },
  history: {
    verb: 'history',
    summary: 'audit trail: who ran what, where, with what result',
    details: ['Without a selector, the history of every node.'],
    selector: 'optional',
    before: ['[SELECTOR]'],
    flags: [
      {
        name: '--limit',
        value: { type: 'int', placeholder: 'N', min: LIMITS.historyLimit.min, max: LIMITS.historyLimit.max },
        summary: `how many entries, newest first (default ${LIMITS.historyLimit.default})`,
      },
    ],
    after: [],
    examples: ['history', 'history router1 --limit 50'],
  },
  whoami: {
    verb: 'whoami',
    summary: 'your roles and what they allow',
    details: [],
    selector: 'none',
    before: [],
    flags: [],
    after: [],
    examples: ['whoami'],
  },
};

/** Every flag the verb accepts: its own, the selector flags if it takes a selector, and --help. */
export function flagsOf(verb: Verb): readonly FlagDef[] {
  const def = VERB_DEFS[verb];
  return [...def.flags, ...(def.selector === 'none' ? [] : SELECTOR_FLAGS), HELP_FLAG];
}

export const SELECTOR_FLAG_NAMES: ReadonlySet<string> = new Set(SELECTOR_FLAGS.map((f) => f.name));

/** Name shown for a value in usage lines: `text|json|xml`, `SEC`. */
export function valuePlaceholder(spec: ValueSpec): string {
  if (spec.type !== 'choice') return spec.placeholder;
  return spec.optional === undefined ? spec.choices.join('|') : `[${spec.choices.join('|')}]`;
}
