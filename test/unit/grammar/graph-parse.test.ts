import { describe, expect, it } from 'vitest';
import { formatRequest, parse, parseArgv, type Request } from '../../../src/grammar/index.js';

const ok = (text: string, source: 'terminal' | 'slack' = 'terminal'): Request => {
  const r = parse(text, { source });
  if (!r.ok) throw new Error(`${text}: ${r.error.message}`);
  return r.request;
};
const error = (text: string, source: 'terminal' | 'slack' = 'terminal'): string => {
  const r = parse(text, { source });
  if (r.ok) throw new Error(`${text} parsed`);
  return r.error.message;
};

describe('graph', () => {
  it('draws every lab without a selector, a lab or nodes with one', () => {
    expect(ok('graph')).toEqual({ verb: 'graph', selector: { all: true } });
    expect(ok('graph dc1')).toEqual({ verb: 'graph', selector: { names: ['dc1'] } });
    expect(ok('graph --lab dc1 --kind srl')).toEqual({ verb: 'graph', selector: { kinds: ['srl'], labs: ['dc1'] } });
  });

  it('takes --check alone (a reachability probe) or with ospf or bgp, before or after the selector', () => {
    expect(ok('graph --lab dc1 --check')).toEqual({ verb: 'graph', selector: { labs: ['dc1'] }, check: 'reach' });
    expect(ok('graph --check --lab dc1')).toEqual({ verb: 'graph', selector: { labs: ['dc1'] }, check: 'reach' });
    expect(ok('graph --check dc1')).toEqual({ verb: 'graph', selector: { names: ['dc1'] }, check: 'reach' });
    expect(ok('graph --check OSPF dc1')).toEqual({ verb: 'graph', selector: { names: ['dc1'] }, check: 'ospf' });
    expect(ok('graph dc1 --check=bgp')).toEqual({ verb: 'graph', selector: { names: ['dc1'] }, check: 'bgp' });
    const argv = parseArgv(['graph', '--lab', 'dc1', '--check', 'ospf', '--out', 'dc1.png']);
    expect(argv.ok && argv.request).toEqual({ verb: 'graph', selector: { labs: ['dc1'] }, check: 'ospf', out: 'dc1.png' });
  });

  it('refuses a near miss of a check instead of reading it as a node name', () => {
    expect(error('graph --check osfp --lab dc1')).toBe('--check takes reach, ospf or bgp (or nothing); got "osfp"; did you mean ospf?');
    expect(error('graph --check=isis')).toMatch(/--check must be reach, ospf or bgp; got "isis"/);
  });

  it('takes the picture formats, and --out only in a terminal', () => {
    expect(ok('graph dc1 --output mermaid')).toEqual({ verb: 'graph', selector: { names: ['dc1'] }, output: 'mermaid' });
    expect(error('graph dc1 --output jpeg')).toMatch(/--output must be png, svg, dot or mermaid; got "jpeg"/);
    expect(ok('graph dc1 --output svg', 'slack')).toEqual({ verb: 'graph', selector: { names: ['dc1'] }, output: 'svg' });
    expect(error('graph dc1 --out dc1.png', 'slack')).toBe(
      '--out writes a file on the host that runs clab-bot; in Slack the picture is posted in the thread (drop --out)',
    );
    expect(error('graph dc1 dc2')).toMatch(/unexpected word "dc2"; graph takes a lab name or the nodes/);
  });

  it('writes back what it read (audit rows)', () => {
    for (const text of ['graph --all', 'graph dc1 --check reach', 'graph --lab dc1 --check ospf --output png --out "my lab.png"', 'graph r1,r2 --output dot']) {
      const request = ok(text);
      expect(formatRequest(request)).toBe(text);
      expect(ok(formatRequest(request))).toEqual(request);
    }
  });
});
