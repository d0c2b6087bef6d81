import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findContainerlab, inspectAll } from '../../src/inventory/inspect-command.js';
import { loadInventory } from '../../src/inventory/load.js';
import { REPO } from '../helpers/cli.js';

// containerlab itself cannot run here (no Docker engine): a stand-in executable prints what
// `containerlab inspect --all --format json` prints, so the real lookup and exec path is exercised.
const dir = mkdtempSync(join(tmpdir(), 'clab-inspect-'));
const fixture = join(REPO, 'test', 'fixtures', 'containerlab', 'inspect', 'by-lab.json');

function standIn(name: string, body: string): string {
  const bin = join(dir, name);
  writeFileSync(join(bin), `#!/bin/sh\n${body}\n`);
  chmodSync(bin, 0o755);
  return bin;
}

describe('containerlab inspect as an inventory source', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds containerlab on PATH, runs inspect --all --format json, and the nodes load from its output', async () => {
    standIn('containerlab', `[ "$1 $2 $3 $4" = "inspect --all --format json" ] || exit 3\ncat '${fixture}'`);
    const bin = await findContainerlab({ PATH: `/nonexistent:${dir}` });
    expect(bin).toBe(join(dir, 'containerlab'));
    const r = await inspectAll(bin!);
    expect(r.problem).toBeUndefined();
    const inv = await loadInventory([], { texts: [r.source!] });
    expect(inv.nodes.map((n) => `${n.lab}/${n.name}`)).toContain('jlab/ce1');
    expect(inv.nodes.find((n) => n.name === 'ce1')?.mgmtIpv4).toBe('172.30.30.31');
  });

  it('no containerlab on PATH: no source; a failing inspect: a reason, not a crash', async () => {
    expect(await findContainerlab({ PATH: '/nonexistent' })).toBeUndefined();
    const failing = standIn('clab-broken', 'echo "permission denied while trying to connect to the Docker daemon socket" >&2; exit 1');
    const r = await inspectAll(failing);
    expect(r.source).toBeUndefined();
    expect(r.problem).toBe('containerlab inspect failed: permission denied while trying to connect to the Docker daemon socket');
  });
});
