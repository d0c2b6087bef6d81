import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadInventory } from '../../../src/inventory/load.js';
import { readConfigFile } from '../../../src/ops/config-file.js';
import { REPO } from '../../helpers/cli.js';

/**
 * A deployed lab read from another path than the one containerlab recorded (the bot in a
 * container with the labs mounted elsewhere, or a copied lab): config files are still found
 * next to the lab's files as they are here.
 */
describe('a lab directory mounted at another path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clab-moved-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes the lab directory from where clab-<lab>/ really is when the recorded path does not exist here', async () => {
    const labs = join(dir, 'mounted');
    cpSync(join(REPO, 'test', 'fixtures', 'containerlab', 'deployed'), labs, { recursive: true });
    const data = join(labs, 'clab-jlab', 'topology-data.json');
    // As written on the lab host: absolute paths under a directory that does not exist here.
    writeFileSync(data, readFileSync(data, 'utf8').replaceAll('@LABS@', '/srv/elsewhere/labs'));
    writeFileSync(join(labs, 'x.conf'), 'system { host-name x; }\n');
    const inv = await loadInventory([join(labs, 'clab-jlab', 'topology-data.json')]);
    expect(inv.nodes.length).toBeGreaterThan(0);
    for (const n of inv.nodes) expect(n.labDir).toBe(labs);
    expect(readConfigFile('x.conf', inv.nodes, undefined).content).toContain('host-name x');
  });
});
