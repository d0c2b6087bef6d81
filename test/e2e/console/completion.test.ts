import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeLine } from '../../../src/handlers/console/completion.js';
import type { LabNode } from '../../../src/inventory/types.js';
import { makeNode } from '../../helpers/nodes.js';

// What Tab offers at the console prompt, through the same function readline calls.
describe('console Tab completion', () => {
  let labDir: string;
  let nodes: LabNode[];
  const complete = (line: string) => completeLine(line, { nodes: () => nodes });

  beforeAll(() => {
    labDir = mkdtempSync(join(tmpdir(), 'clab-complete-'));
    mkdirSync(join(labDir, 'configs'));
    writeFileSync(join(labDir, 'configs', 'ntp.conf'), 'system { ntp { server 10.0.0.1; } }\n');
    writeFileSync(join(labDir, 'configs', 'ospf.conf'), 'protocols { ospf; }\n');
    writeFileSync(join(labDir, 'configs', 'ospf.j2'), 'protocols { ospf { area {{ vars.area }}; } }\n');
    mkdirSync(join(labDir, 'clab-dc1'));
    const node = (name: string, lab: string, kind: string, labels: Record<string, string>, group?: string): LabNode => ({
      ...makeNode({ name, host: '127.0.0.1', lab, kind }),
      labels,
      group,
      labDir,
    });
    nodes = [
      node('router1', 'dc1', 'juniper_vjunosrouter', { role: 'spine', 'clab-node-kind': 'juniper_vjunosrouter' }, 'core'),
      node('router2', 'dc1', 'juniper_vjunosrouter', { role: 'leaf' }),
      node('srl1', 'dc1', 'nokia_srlinux', { role: 'leaf' }),
      node('router1', 'dc2', 'juniper_vjunosrouter', {}),
    ];
  });
  afterAll(() => rmSync(labDir, { recursive: true, force: true }));

  it('offers verbs and the console words at the start of the line', () => {
    expect(complete('ex')).toEqual([['exec ', 'exit '], 'ex']);
    expect(complete('')[0]).toEqual(expect.arrayContaining(['nodes ', 'config ', 'quit ']));
  });

  it('offers node names where the selector goes, with lab/name for names in two labs', () => {
    const [names, replaced] = complete('exec r');
    expect(replaced).toBe('r');
    expect(names).toEqual(['router1 ', 'router2 ']);
    expect(complete('exec dc')[0]).toEqual(['dc1/router1 ', 'dc2/router1 ']);
    expect(complete('exec s')[0]).toEqual(['srl1 ']);
  });

  it('completes the part after the last comma of a node list, skipping names already listed', () => {
    expect(complete('exec router1,')).toEqual([['router1,dc1/router1 ', 'router1,dc2/router1 ', 'router1,router2 ', 'router1,srl1 '], 'router1,']);
    expect(complete('config --nodes srl1,rou')[0]).toEqual(['srl1,router1 ', 'srl1,router2 ']);
  });

  it('offers nothing once the device command has started', () => {
    expect(complete('exec router1 sh')).toEqual([[], 'sh']);
    expect(complete('exec --kind srl show r')).toEqual([[], 'r']);
  });

  it('backup: the action words and node names first, then node names after an action, then nothing', () => {
    expect(complete('backup ')[0]).toEqual(['diff ', 'export ', 'list ', 'show ', 'dc1/router1 ', 'dc2/router1 ', 'router1 ', 'router2 ', 'srl1 ']);
    expect(complete('backup d')).toEqual([['diff ', 'dc1/router1 ', 'dc2/router1 '], 'd']);
    expect(complete('backup diff r')).toEqual([['router1 ', 'router2 '], 'r']);
    expect(complete('backup show srl1 ')).toEqual([[], '']);
    expect(complete('backup export --lab dc1 --')[0]).toContain('--dir ');
  });

  it('drift: the verb, node names, then the selector flags', () => {
    expect(complete('dr')[0]).toEqual(['drift ']);
    expect(complete('drift r')).toEqual([['router1 ', 'router2 '], 'r']);
    expect(complete('drift --')[0]).toEqual(expect.arrayContaining(['--lab ', '--kind ', '--all ']));
    expect(complete('drift router1 ')).toEqual([[], '']);
  });

  it('offers the verb\'s flags, not ones already given', () => {
    const [flags] = complete('exec router1 --');
    expect(flags).toEqual(expect.arrayContaining(['--format ', '--timeout ', '--kind ', '--all ']));
    expect(flags).not.toContain('--file ');
    expect(complete('config router1 --dry-run --d')[0]).toEqual(['--device-file ']);
    expect(complete('nodes --f')[0]).toEqual(['--facts ']);
    expect(complete('nodes router1 --facts --r')[0]).toEqual(['--refresh ']);
  });

  it('offers values: kinds present in the labs (with their short forms), labs, groups, user labels, choices', () => {
    expect(complete('exec --kind vjunos')[0]).toEqual(['vjunosrouter ']);
    expect(complete('exec --kind juniper_vj')[0]).toEqual(['juniper_vjunosrouter ']);
    const kinds = complete('exec --kind ')[0];
    expect(kinds).toEqual(expect.arrayContaining(['juniper_vjunosrouter ', 'nokia_srlinux ', 'srl ']));
    // nothing from the ~130 kinds of the table that no lab holds
    expect(kinds).not.toContain('vjunosswitch ');
    expect(kinds).not.toContain('ceos ');
    expect(kinds.length).toBeLessThan(12);
    expect(complete('nodes --lab ')[0]).toEqual(['dc1 ', 'dc2 ']);
    expect(complete('nodes --group ')[0]).toEqual(['core ']);
    expect(complete('nodes --label ')[0]).toEqual(['role=leaf ', 'role=spine ']);
    expect(complete('exec router1 --format j')[0]).toEqual(['json ']);
    expect(complete('exec router1 --format=x')[0]).toEqual(['--format=xml ']);
    expect(complete('help sel')[0]).toEqual(['selectors ']);
    expect(complete('change 42 ap')[0]).toEqual(['approve ']);
    expect(complete('change 42 re')[0]).toEqual(['reject ', 'replan ', 'resolve ']);
    expect(complete('change 42 resolve --')[0]).toEqual(expect.arrayContaining(['--committed ', '--not-committed ', '--reason ']));
    expect(complete('change 42 resolve --n')[0]).toEqual(['--not-committed ']);
  });

  it('offers --output (the console flag help lists) and its formats, and the clear word', () => {
    expect(complete('nodes --o')[0]).toEqual(['--output ']);
    expect(complete('exec router1 --')[0]).toContain('--output ');
    expect(complete('nodes --output ')[0]).toEqual(['json ', 'table ', 'text ']);
    expect(complete('cl')[0]).toEqual(['clear ']);
  });

  it('render and config --template: the verb, node names, template paths in the lab directory, --var again after one', () => {
    expect(complete('ren')).toEqual([['render '], 'ren']);
    expect(complete('render r')[0]).toEqual(['router1 ', 'router2 ']);
    expect(complete('render router1 --t')[0]).toEqual(['--template ']);
    expect(complete('render router1 --template configs/o')[0]).toEqual(['configs/ospf.conf ', 'configs/ospf.j2 ']);
    expect(complete('config router1 --template ../')[0]).toEqual([]);
    expect(complete('config --kind vjunosrouter --te')[0]).toEqual(['--template ']);
    // --var may be given once per variable.
    expect(complete('render router1 --template configs/ospf.j2 --var area=0 --v')[0]).toEqual(['--var ']);
  });

  it('completes --file paths inside the lab directory, never outside it', () => {
    expect(complete('config router1 --file con')[0]).toEqual(['configs/']);
    expect(complete('config router1 --file configs/')[0]).toEqual(['configs/ntp.conf ', 'configs/ospf.conf ', 'configs/ospf.j2 ']);
    expect(complete('config router1 --file ../')[0]).toEqual([]);
    // containerlab's own clab-<lab> directories are not configuration.
    expect(complete('config router1 --file cl')[0]).toEqual([]);
  });

  it('accepts the clab-bot prefix typed out of habit and ignores unknown verbs', () => {
    expect(complete('clab-bot exec router2')[0]).toEqual(['router2 ']);
    expect(complete('frobnicate r')).toEqual([[], 'r']);
  });
});
