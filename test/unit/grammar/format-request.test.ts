import { describe, expect, it } from 'vitest';
import { formatRequest, parse, type Request } from '../../../src/grammar/index.js';

describe('formatRequest', () => {
  const cases: [Request, string][] = [
    [{ verb: 'help' }, 'help'],
    [{ verb: 'help', topic: 'selectors' }, 'help selectors'],
    [{ verb: 'labs' }, 'labs'],
    [{ verb: 'whoami' }, 'whoami'],
    [{ verb: 'nodes', selector: { all: true } }, 'nodes --all'],
    [{ verb: 'nodes', selector: { names: ['r1', 'r2'] } }, 'nodes r1,r2'],
    [{ verb: 'nodes', selector: { names: ['r1', 'r2'] }, facts: 'cached' }, 'nodes r1,r2 --facts'],
    [{ verb: 'nodes', selector: { all: true }, facts: 'refresh' }, 'nodes --all --facts --refresh'],
    [
      { verb: 'nodes', selector: { names: ['r1'], kinds: ['srl'], labels: [{ key: 'role', value: 'spine leaf' }], groups: ['g'], labs: ['dc1'], all: true } },
      'nodes --node r1 --kind srl --label "role=spine leaf" --group g --lab dc1 --all',
    ],
    [{ verb: 'exec', selector: { names: ['r1'] }, command: 'show version', format: 'text' }, 'exec r1 show version'],
    [
      { verb: 'exec', selector: { kinds: ['srl'] }, command: 'show route | match "10.0.0.1"', format: 'json', timeoutSec: 30 },
      'exec --kind srl --format json --timeout 30 show route | match "10.0.0.1"',
    ],
    // A command with an option-looking word is written after `--`, so it parses back as typed.
    [{ verb: 'exec', selector: { names: ['h1'] }, command: 'ip --json addr', format: 'text' }, 'exec h1 -- ip --json addr'],
    [{ verb: 'config', selector: { names: ['r1'] }, source: { type: 'inline' }, method: 'merge', dryRun: false }, 'config r1'],
    [
      {
        verb: 'config',
        selector: { names: ['r1', 'r2'], labs: ['dc1'] },
        source: { type: 'file', path: 'my configs/r1.conf' },
        method: 'set',
        dryRun: false,
        confirmMinutes: 5,
        check: 'show bgp summary',
        comment: 'say "hi"',
      },
      'config --nodes r1,r2 --lab dc1 --file "my configs/r1.conf" --method set --confirm 5 --check "show bgp summary" --comment "say \\"hi\\""',
    ],
    [
      { verb: 'config', selector: { names: ['r1'] }, source: { type: 'device-file', path: '/var/tmp/a.conf' }, method: 'override', dryRun: false },
      'config r1 --device-file /var/tmp/a.conf --method override',
    ],
    [{ verb: 'config', selector: { names: ['r1'] }, source: { type: 'rollback', index: 2 }, method: 'merge', dryRun: false }, 'config r1 --rollback 2'],
    [{ verb: 'rollback', selector: { names: ['r1'] }, index: 1 }, 'rollback r1 1'],
    [{ verb: 'rollback', selector: { labs: ['dc1'] }, index: 3 }, 'rollback --lab dc1 3'],
    [{ verb: 'changes', filter: 'pending' }, 'changes --pending'],
    [{ verb: 'change', id: 42 }, 'change 42'],
    [{ verb: 'change', id: 42, action: 'approve' }, 'change 42 approve'],
    [{ verb: 'change', id: 42, action: 'resolve', outcome: 'not-committed', reason: 'rolled back at 12:34' }, 'change 42 resolve --not-committed --reason "rolled back at 12:34"'],
    [{ verb: 'backup', action: 'save', selector: { all: true }, versions: [] }, 'backup --all'],
    [
      { verb: 'config', selector: { kinds: ['srl'] }, source: { type: 'template', path: 'my t.j2', vars: [{ key: 'a.b', value: 'x y' }, { key: 'c', value: '' }] }, method: 'merge', dryRun: true },
      'config --kind srl --template "my t.j2" --var "a.b=x y" --var c= --dry-run',
    ],
    [{ verb: 'render', selector: { names: ['r1'] }, template: 't.j2', vars: [{ key: 'asn', value: '65001' }] }, 'render r1 --template t.j2 --var asn=65001'],
    [{ verb: 'backup', action: 'save', selector: { names: ['show'] }, versions: [] }, 'backup --node show'],
    [{ verb: 'backup', action: 'diff', selector: { names: ['r1'] }, versions: [2, 3] }, 'backup diff r1 2 3'],
    [{ verb: 'backup', action: 'export', selector: { labs: ['dc1'] }, versions: [], dir: 'my saves' }, 'backup export --lab dc1 --dir "my saves"'],
    [{ verb: 'history', limit: 20 }, 'history'],
    [{ verb: 'history', selector: { names: ['r1'] }, limit: 5 }, 'history r1 --limit 5'],
  ];

  it.each(cases)('%j', (request, text) => {
    expect(formatRequest(request)).toBe(text);
    expect(parse(text)).toEqual({ ok: true, request, hostOptions: {} });
  });
});
