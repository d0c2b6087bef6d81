import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RejectedError } from '../../../src/drivers/errors.js';
import { JunosDriver } from '../../../src/drivers/junos/junos-driver.js';
import { startJunosSims, type JunosSim } from '../../../src/sim/junos/index.js';
import { bigJunosConfig } from '../../helpers/junos-big-config.js';
import { makeNode } from '../../helpers/nodes.js';

/**
 * A configuration near the 2 MiB file limit, planned and committed through the real driver on one
 * simulated device while another device of the same simulator process keeps answering. Loading
 * used to be quadratic in the number of siblings (a 2 MB file kept the process busy for over a
 * minute and every device looked unreachable). Speed itself is measured in `npm run bench`; the
 * deadlines here are only generous bounds so a regression fails instead of hanging.
 */
const BIG = bigJunosConfig(2_000_000, 'r1');
const DEADLINE_MS = 60_000;

describe('a 2 MB configuration on the Junos simulator', () => {
  let sims: JunosSim[];
  let r1: JunosDriver;
  let r2: JunosDriver;

  beforeAll(async () => {
    sims = await startJunosSims(2, { hostnamePrefix: 'r' });
    const node = (sim: JunosSim) => makeNode({ name: sim.hostname, host: sim.host, port: sim.port, username: 'admin', password: 'admin@123' });
    r1 = new JunosDriver(node(sims[0] as JunosSim));
    r2 = new JunosDriver(node(sims[1] as JunosSim));
    await Promise.all([r1.open(), r2.open()]);
  });

  afterAll(async () => {
    await Promise.all([r1?.close(), r2?.close()]);
    await Promise.all((sims ?? []).map((s) => s.close()));
  });

  it('is under the 2 MiB limit the bot enforces, and big', () => {
    expect(Buffer.byteLength(BIG)).toBeLessThan(2 * 1024 * 1024);
    expect(Buffer.byteLength(BIG)).toBeGreaterThan(1_900_000);
  });

  it('plans and commits while the other device keeps answering', { timeout: 3 * DEADLINE_MS }, async () => {
    const source = { type: 'text' as const, content: BIG };
    const plan = r1.plan(source, 'merge', { timeoutMs: DEADLINE_MS });
    const others = Promise.all([1, 2, 3].map(() => r2.exec('show version', { timeoutMs: DEADLINE_MS })));
    const [planned, versions] = await Promise.all([plan, others]);
    for (const v of versions) expect(v.output).toContain('Hostname: r2');
    expect(planned.diff).toContain('+      description "customer 0 access port";');
    expect(planned.diff).toMatch(/^\+ +term t0 \{$/m);

    const result = await r1.apply(source, { method: 'merge', expectDiffHash: planned.diffHash, timeoutMs: DEADLINE_MS });
    expect(result.committed).toBe(true);
    const running = (sims[0] as JunosSim).runningConfig();
    const lastTerm = [...BIG.matchAll(/term (t\d+) \{/g)].at(-1)?.[1];
    expect(lastTerm).toMatch(/^t\d{4,}$/);
    expect(running).toContain(`term ${lastTerm} {`);
    expect((await r2.exec('show version', { timeoutMs: DEADLINE_MS })).output).toContain('Hostname: r2');
  });

  it('refuses an unknown statement at the end of the 2 MB file, naming it', { timeout: 2 * DEADLINE_MS }, async () => {
    const bad = BIG.replace(/\n\}\n$/, '\n    bogus-statement-xyz;\n}\n');
    const pending = r1.plan({ type: 'text', content: bad }, 'merge', { timeoutMs: DEADLINE_MS });
    await expect(pending).rejects.toBeInstanceOf(RejectedError);
    await expect(pending).rejects.toThrow(/syntax error/);
    await expect(pending).rejects.toThrow(/bogus-statement-xyz/);
  });
});
