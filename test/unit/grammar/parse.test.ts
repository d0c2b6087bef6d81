import { describe, expect, it } from 'vitest';
import { parse, parseArgv, type Request } from '../../../src/grammar/index.js';

function ok(text: string, source: 'slack' | 'terminal' = 'terminal'): Request {
  const result = parse(text, { source });
  if (!result.ok) throw new Error(`expected ${JSON.stringify(text)} to parse, got: ${result.error.message}`);
  return result.request;
}

describe('parse: every verb and option', () => {
  const cases: [string, Request][] = [
    // help
    ['help', { verb: 'help' }],
    ['help exec', { verb: 'help', topic: 'exec' }],
    ['help selectors', { verb: 'help', topic: 'selectors' }],
    ['help selector', { verb: 'help', topic: 'selectors' }],
    ['help CONFIG', { verb: 'help', topic: 'config' }],
    ['exec --help', { verb: 'help', topic: 'exec' }],
    ['config r1 -h', { verb: 'help', topic: 'config' }],
    ['--help', { verb: 'help' }],
    // labs, whoami
    ['labs', { verb: 'labs' }],
    ['whoami', { verb: 'whoami' }],
    // nodes
    ['nodes', { verb: 'nodes', selector: { all: true } }],
    ['nodes router1', { verb: 'nodes', selector: { names: ['router1'] } }],
    ['nodes r1,r2,dc1/r3,clab-dc1-r4', { verb: 'nodes', selector: { names: ['r1', 'r2', 'dc1/r3', 'clab-dc1-r4'] } }],
    ['nodes r1,r2,r1', { verb: 'nodes', selector: { names: ['r1', 'r2'] } }],
    ['nodes --lab dc1', { verb: 'nodes', selector: { labs: ['dc1'] } }],
    ['nodes --facts', { verb: 'nodes', selector: { all: true }, facts: 'cached' }],
    ['nodes router1 --facts --refresh', { verb: 'nodes', selector: { names: ['router1'] }, facts: 'refresh' }],
    // --refresh alone means the facts, read now.
    ['nodes --lab dc1 --refresh', { verb: 'nodes', selector: { labs: ['dc1'] }, facts: 'refresh' }],
    ['nodes --kind SRL', { verb: 'nodes', selector: { kinds: ['srl'] } }],
    ['nodes --kind=juniper_vjunosrouter', { verb: 'nodes', selector: { kinds: ['juniper_vjunosrouter'] } }],
    ['nodes --label role=spine', { verb: 'nodes', selector: { labels: [{ key: 'role', value: 'spine' }] } }],
    ['nodes --label "graph-icon=router x"', { verb: 'nodes', selector: { labels: [{ key: 'graph-icon', value: 'router x' }] } }],
    ['nodes --label a=b=c', { verb: 'nodes', selector: { labels: [{ key: 'a', value: 'b=c' }] } }],
    ['nodes --group spine', { verb: 'nodes', selector: { groups: ['spine'] } }],
    ['nodes --node r1', { verb: 'nodes', selector: { names: ['r1'] } }],
    ['nodes --nodes r1,r2', { verb: 'nodes', selector: { names: ['r1', 'r2'] } }],
    ['nodes --all', { verb: 'nodes', selector: { all: true } }],
    [
      'nodes --lab dc1 --kind srl --label role=leaf --group g1 --all',
      { verb: 'nodes', selector: { labs: ['dc1'], kinds: ['srl'], labels: [{ key: 'role', value: 'leaf' }], groups: ['g1'], all: true } },
    ],
    // exec
    ['exec router1 show version', { verb: 'exec', selector: { names: ['router1'] }, command: 'show version', format: 'text' }],
    ['exec router1,router2 show ospf neighbor', { verb: 'exec', selector: { names: ['router1', 'router2'] }, command: 'show ospf neighbor', format: 'text' }],
    [
      'exec r1 show route | match "10.0.0.1"',
      { verb: 'exec', selector: { names: ['r1'] }, command: 'show route | match "10.0.0.1"', format: 'text' },
    ],
    [
      "exec r1 show interfaces descriptions | match 'uplink  to  core'",
      { verb: 'exec', selector: { names: ['r1'] }, command: "show interfaces descriptions | match 'uplink  to  core'", format: 'text' },
    ],
    // An apostrophe or an unclosed quote in the command is the device's business.
    ['exec r1 show log messages | match "don\'t', { verb: 'exec', selector: { names: ['r1'] }, command: 'show log messages | match "don\'t', format: 'text' }],
    ['exec --kind vjunosrouter show version', { verb: 'exec', selector: { kinds: ['vjunosrouter'] }, command: 'show version', format: 'text' }],
    [
      'exec --format json --kind srl --lab dc1 info from state /interface',
      { verb: 'exec', selector: { kinds: ['srl'], labs: ['dc1'] }, command: 'info from state /interface', format: 'json' },
    ],
    ['exec r1 --format xml show version', { verb: 'exec', selector: { names: ['r1'] }, command: 'show version', format: 'xml' }],
    ['exec --format=JSON r1 show version', { verb: 'exec', selector: { names: ['r1'] }, command: 'show version', format: 'json' }],
    ['exec r1 --timeout 90 ping 10.0.0.2 count 3', { verb: 'exec', selector: { names: ['r1'] }, command: 'ping 10.0.0.2 count 3', format: 'text', timeoutSec: 90 }],
    ['exec r1 --timeout=1 show version', { verb: 'exec', selector: { names: ['r1'] }, command: 'show version', format: 'text', timeoutSec: 1 }],
    ['exec r1 --timeout 3600 show version', { verb: 'exec', selector: { names: ['r1'] }, command: 'show version', format: 'text', timeoutSec: 3600 }],
    // Options after the first command word belong to the command.
    ['exec h1 ip --json addr show', { verb: 'exec', selector: { names: ['h1'] }, command: 'ip --json addr show', format: 'text' }],
    ['exec h1 ls --all /tmp', { verb: 'exec', selector: { names: ['h1'] }, command: 'ls --all /tmp', format: 'text' }],
    // `--` ends clab-bot's options.
    ['exec r1 -- --format json', { verb: 'exec', selector: { names: ['r1'] }, command: '--format json', format: 'text' }],
    ['exec --all -- show version --timeout 5', { verb: 'exec', selector: { all: true }, command: 'show version --timeout 5', format: 'text' }],
    ['exec r1   show    version  ', { verb: 'exec', selector: { names: ['r1'] }, command: 'show    version', format: 'text' }],
    ['EXEC r1 show version', { verb: 'exec', selector: { names: ['r1'] }, command: 'show version', format: 'text' }],
    ['exec\tr1\tshow version', { verb: 'exec', selector: { names: ['r1'] }, command: 'show version', format: 'text' }],
    ['exec r1 show version -5', { verb: 'exec', selector: { names: ['r1'] }, command: 'show version -5', format: 'text' }],
    // config
    ['config r1', { verb: 'config', selector: { names: ['r1'] }, source: { type: 'inline' }, method: 'merge', dryRun: false }],
    [
      'config r1 --file configs/r1.conf',
      { verb: 'config', selector: { names: ['r1'] }, source: { type: 'file', path: 'configs/r1.conf' }, method: 'merge', dryRun: false },
    ],
    [
      'config r1 --file "my configs/r1.conf"',
      { verb: 'config', selector: { names: ['r1'] }, source: { type: 'file', path: 'my configs/r1.conf' }, method: 'merge', dryRun: false },
    ],
    [
      'config r1 --device-file /var/tmp/new.conf --method override',
      { verb: 'config', selector: { names: ['r1'] }, source: { type: 'device-file', path: '/var/tmp/new.conf' }, method: 'override', dryRun: false },
    ],
    [
      'config r1 --rollback 3',
      { verb: 'config', selector: { names: ['r1'] }, source: { type: 'rollback', index: 3 }, method: 'merge', dryRun: false },
    ],
    [
      'config r1 --rollback 0 --dry-run',
      { verb: 'config', selector: { names: ['r1'] }, source: { type: 'rollback', index: 0 }, method: 'merge', dryRun: true },
    ],
    ...(['merge', 'override', 'replace', 'set'] as const).map(
      (method): [string, Request] => [
        `config r1 --file a.conf --method ${method}`,
        { verb: 'config', selector: { names: ['r1'] }, source: { type: 'file', path: 'a.conf' }, method, dryRun: false },
      ],
    ),
    [
      'config --lab dc1 --kind vjunosrouter --file ntp.set --method set --confirm 5 --check "show ntp associations" --comment "NTP servers"',
      {
        verb: 'config',
        selector: { labs: ['dc1'], kinds: ['vjunosrouter'] },
        source: { type: 'file', path: 'ntp.set' },
        method: 'set',
        dryRun: false,
        confirmMinutes: 5,
        check: 'show ntp associations',
        comment: 'NTP servers',
      },
    ],
    [
      "config r1 --comment 'it''s' --confirm=65535",
      { verb: 'config', selector: { names: ['r1'] }, source: { type: 'inline' }, method: 'merge', dryRun: false, confirmMinutes: 65535, comment: 'its' },
    ],
    [
      'config r1 --comment="fix \\"mtu\\" on uplinks"',
      { verb: 'config', selector: { names: ['r1'] }, source: { type: 'inline' }, method: 'merge', dryRun: false, comment: 'fix "mtu" on uplinks' },
    ],
    [
      "config r1 --comment don't-panic",
      { verb: 'config', selector: { names: ['r1'] }, source: { type: 'inline' }, method: 'merge', dryRun: false, comment: "don't-panic" },
    ],
    // rollback: N defaults to 1, the configuration before the last commit.
    ['rollback r1', { verb: 'rollback', selector: { names: ['r1'] }, index: 1 }],
    ['rollback r1,r2 2', { verb: 'rollback', selector: { names: ['r1', 'r2'] }, index: 2 }],
    ['rollback r1 49', { verb: 'rollback', selector: { names: ['r1'] }, index: 49 }],
    ['rollback --lab dc1', { verb: 'rollback', selector: { labs: ['dc1'] }, index: 1 }],
    ['rollback --lab dc1 --kind srl 3', { verb: 'rollback', selector: { labs: ['dc1'], kinds: ['srl'] }, index: 3 }],
    // changes
    ['changes', { verb: 'changes', filter: 'pending' }],
    ['changes --pending', { verb: 'changes', filter: 'pending' }],
    ['changes --mine', { verb: 'changes', filter: 'mine' }],
    ['changes --all', { verb: 'changes', filter: 'all' }],
    // change
    ['change 42', { verb: 'change', id: 42 }],
    ['change #42', { verb: 'change', id: 42 }],
    ['change 42 approve', { verb: 'change', id: 42, action: 'approve' }],
    ['change 42 Reject', { verb: 'change', id: 42, action: 'reject' }],
    ['change #7 cancel', { verb: 'change', id: 7, action: 'cancel' }],
    ['change 7 replan', { verb: 'change', id: 7, action: 'replan' }],
    ['change 7 resolve --committed', { verb: 'change', id: 7, action: 'resolve', outcome: 'committed' }],
    ['change #7 resolve --not-committed --reason "rolled back by itself"', { verb: 'change', id: 7, action: 'resolve', outcome: 'not-committed', reason: 'rolled back by itself' }],
    // config --template, render
    [
      'config --kind vjunosrouter --template ospf.j2 --var area=0.0.0.0 --var "bgp.group=core x" --var empty= --dry-run',
      {
        verb: 'config',
        selector: { kinds: ['vjunosrouter'] },
        source: { type: 'template', path: 'ospf.j2', vars: [{ key: 'area', value: '0.0.0.0' }, { key: 'bgp.group', value: 'core x' }, { key: 'empty', value: '' }] },
        method: 'merge',
        dryRun: true,
      },
    ],
    ['config r1 --template t.j2 --method set', { verb: 'config', selector: { names: ['r1'] }, source: { type: 'template', path: 't.j2', vars: [] }, method: 'set', dryRun: false }],
    ['render r1,r2 --template t.j2', { verb: 'render', selector: { names: ['r1', 'r2'] }, template: 't.j2', vars: [] }],
    ['render --lab dc1 --template=t.j2 --var=asn=65001', { verb: 'render', selector: { labs: ['dc1'] }, template: 't.j2', vars: [{ key: 'asn', value: '65001' }] }],
    // drift
    ['drift', { verb: 'drift', selector: { all: true } }],
    ['drift --lab dc1', { verb: 'drift', selector: { labs: ['dc1'] } }],
    ['drift dc1/r1,r2', { verb: 'drift', selector: { names: ['dc1/r1', 'r2'] } }],
    // backup
    ['backup', { verb: 'backup', action: 'save', selector: { all: true }, versions: [] }],
    ['backup --all', { verb: 'backup', action: 'save', selector: { all: true }, versions: [] }],
    ['backup r1,r2', { verb: 'backup', action: 'save', selector: { names: ['r1', 'r2'] }, versions: [] }],
    ['backup --node list', { verb: 'backup', action: 'save', selector: { names: ['list'] }, versions: [] }],
    ['backup list r1', { verb: 'backup', action: 'list', selector: { names: ['r1'] }, versions: [] }],
    ['backup show dc1/r1', { verb: 'backup', action: 'show', selector: { names: ['dc1/r1'] }, versions: [] }],
    ['backup show r1 3', { verb: 'backup', action: 'show', selector: { names: ['r1'] }, versions: [3] }],
    ['backup diff r1', { verb: 'backup', action: 'diff', selector: { names: ['r1'] }, versions: [] }],
    ['backup diff r1 2 v5', { verb: 'backup', action: 'diff', selector: { names: ['r1'] }, versions: [2, 5] }],
    ['backup diff --node r1 --lab dc1 2', { verb: 'backup', action: 'diff', selector: { names: ['r1'], labs: ['dc1'] }, versions: [2] }],
    ['backup export --lab dc1 --dir "my saves"', { verb: 'backup', action: 'export', selector: { labs: ['dc1'] }, versions: [], dir: 'my saves' }],
    // history
    ['history', { verb: 'history', limit: 20 }],
    ['history r1', { verb: 'history', selector: { names: ['r1'] }, limit: 20 }],
    ['history --limit 500', { verb: 'history', limit: 500 }],
    ['history --lab dc1 --limit=1', { verb: 'history', selector: { labs: ['dc1'] }, limit: 1 }],
    ['history r1,r2 --limit 50', { verb: 'history', selector: { names: ['r1', 'r2'] }, limit: 50 }],
    // empty text asks for help
    ['', { verb: 'help' }],
    ['   \t  ', { verb: 'help' }],
  ];

  it.each(cases)('%s', (text, expected) => {
    expect(ok(text)).toEqual(expected);
  });
});

describe('parse: Slack text', () => {
  const cases: [string, Request][] = [
    // Slack HTML-escapes & < > in the text it sends.
    [
      'exec r1 show route | match "a&gt;b" &amp;&amp; x &lt;y&gt;',
      { verb: 'exec', selector: { names: ['r1'] }, command: 'show route | match "a>b" && x <y>', format: 'text' },
    ],
    // Host names are linked by Slack: the label is what the user typed.
    ['exec <http://r1.lab|r1.lab> show version', { verb: 'exec', selector: { names: ['r1.lab'] }, command: 'show version', format: 'text' }],
    ['exec r1 ping <http://example.com|example.com> count 2', { verb: 'exec', selector: { names: ['r1'] }, command: 'ping example.com count 2', format: 'text' }],
    [
      'config r1 --comment "ask <@U0ALICE|alice> in <#C0LAB|lab-ops>, mail <mailto:ops@example.com|ops@example.com>"',
      {
        verb: 'config',
        selector: { names: ['r1'] },
        source: { type: 'inline' },
        method: 'merge',
        dryRun: false,
        comment: 'ask @alice in #lab-ops, mail ops@example.com',
      },
    ],
    [
      'config r1 --comment "cc <@U0BOB> <!subteam^S01|@netops> <!here>"',
      { verb: 'config', selector: { names: ['r1'] }, source: { type: 'inline' }, method: 'merge', dryRun: false, comment: 'cc @U0BOB @netops @here' },
    ],
    // macOS smart quotes and dashes.
    [
      'exec r1 show route | match \u201C10.0.0.1\u201D',
      { verb: 'exec', selector: { names: ['r1'] }, command: 'show route | match "10.0.0.1"', format: 'text' },
    ],
    [
      'config r1 \u2014dry-run \u2014method set \u2014file \u2018my file.conf\u2019',
      { verb: 'config', selector: { names: ['r1'] }, source: { type: 'file', path: 'my file.conf' }, method: 'set', dryRun: true },
    ],
    ['Exec r1 show version', { verb: 'exec', selector: { names: ['r1'] }, command: 'show version', format: 'text' }],
    ['', { verb: 'help' }],
  ];

  it.each(cases)('%s', (text, expected) => {
    expect(ok(text, 'slack')).toEqual(expected);
  });

  it('takes a command typed as one quoted word as the command (console and Slack alike)', () => {
    expect(ok('exec r1 "show version"')).toMatchObject({ command: 'show version' });
    expect(ok("exec r1 'show route | match \"10.0.0.1\"'", 'slack')).toMatchObject({ command: 'show route | match "10.0.0.1"' });
    // a quoted word among others stays as typed
    expect(ok('exec r1 show route | match "a b"')).toMatchObject({ command: 'show route | match "a b"' });
  });

  it('leaves entities alone for the terminal, where they are what the user typed', () => {
    expect(ok('exec r1 show route | match &amp;')).toMatchObject({ command: 'show route | match &amp;' });
  });
});

describe('parseArgv', () => {
  it('takes words a shell split, keeping one argument with spaces as one quoted word for the device', () => {
    const r = parseArgv(['exec', 'r1', '--format', 'json', 'show', 'route', '|', 'match', 'a b']);
    expect(r).toMatchObject({ ok: true, request: { command: 'show route | match "a b"', format: 'json' } });
  });

  it('takes the whole command quoted as one argument as the command itself (clab-bot exec r1 "show version")', () => {
    expect(parseArgv(['exec', 'r1', 'show version'])).toMatchObject({ ok: true, request: { command: 'show version' } });
    expect(parseArgv(['exec', '--kind', 'vjunosrouter', 'show route | match "10.0.0.1"'])).toMatchObject({
      ok: true,
      request: { command: 'show route | match "10.0.0.1"', selector: { kinds: ['vjunosrouter'] } },
    });
    expect(parseArgv(['exec', 'r1', '--', 'show version'])).toMatchObject({ ok: true, request: { command: 'show version' } });
    // clab-bot's own flags inside the quoted command would reach the device: refused as when unquoted.
    expect(parseArgv(['exec', 'r1', 'show version --format json'])).toMatchObject({ ok: false });
    // one word without spaces is unchanged
    expect(parseArgv(['exec', 'r1', 'uptime'])).toMatchObject({ ok: true, request: { command: 'uptime' } });
  });

  it('keeps quotes the user passed through the shell', () => {
    const r = parseArgv(['exec', 'r1', 'show', 'route', '|', 'match', '"10.0.0.1"']);
    expect(r).toMatchObject({ ok: true, request: { command: 'show route | match "10.0.0.1"' } });
  });

  it('reads an option value with spaces as one value', () => {
    const r = parseArgv(['config', 'r1', '--comment', 'fix the mtu']);
    expect(r).toMatchObject({ ok: true, request: { comment: 'fix the mtu', dryRun: false } });
  });

  it('accepts the front end\'s own flags where clab-bot\'s are, and returns them', () => {
    const r = parseArgv(['exec', 'r1', '--labs', '/srv/labs', '--output', 'json', 'show', 'version'], {
      hostFlags: { '--labs': 'value', '--output': 'value', '--quiet': 'switch' },
    });
    expect(r).toEqual({
      ok: true,
      request: { verb: 'exec', selector: { names: ['r1'] }, command: 'show version', format: 'text' },
      hostOptions: { '--labs': '/srv/labs', '--output': 'json' },
    });
    const text = parse('nodes --quiet --lab dc1', { hostFlags: { '--quiet': 'switch' } });
    expect(text).toMatchObject({ ok: true, request: { selector: { labs: ['dc1'] } }, hostOptions: { '--quiet': true } });
  });

  it("accepts the front end's flags before the verb too, and refuses them twice", () => {
    const hostFlags = { '--labs': 'value', '--quiet': 'switch' } as const;
    expect(parseArgv(['--labs=/srv/labs', '--quiet', 'labs'], { hostFlags })).toEqual({
      ok: true,
      request: { verb: 'labs' },
      hostOptions: { '--labs': '/srv/labs', '--quiet': true },
    });
    const twice = parseArgv(['--labs', 'a', 'nodes', '--labs', 'b'], { hostFlags });
    expect(twice.ok ? 'ok' : twice.error.message).toBe('--labs is given twice');
    const missing = parseArgv(['nodes', '--labs'], { hostFlags });
    expect(missing.ok ? 'ok' : missing.error.message).toBe('--labs needs a value');
    const unknown = parseArgv(['--lbas', 'a', 'nodes'], { hostFlags });
    expect(unknown.ok ? 'ok' : unknown.error.message).toMatch(/^unknown verb "--lbas"/);
  });

  it('refuses a control character in an argument', () => {
    const r = parseArgv(['exec', 'r1', 'show\u0000version']);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe('the text has a control character (U+0000) in argument 3; remove it');
  });
});
