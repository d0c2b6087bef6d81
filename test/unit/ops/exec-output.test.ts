import { afterEach, describe, expect, it } from 'vitest';
import type { ExecResult } from '../../../src/drivers/contract.js';
import { cutBytes, cutNote, keepOutput, nodeShare } from '../../../src/ops/exec-output.js';
import { clearRegisteredSecrets, registerSecret } from '../../../src/redact/index.js';

afterEach(() => clearRegisteredSecrets());

const MIB = 1024 * 1024;
const result = (output: string): ExecResult => ({ output, format: 'text', warnings: [], durationMs: 1 });

describe('nodeShare', () => {
  it('is the per-node cap, or an equal part of the per-request cap when that is smaller', () => {
    const limits = { perNodeBytes: 16 * MIB, perRequestBytes: 64 * MIB };
    expect(nodeShare(limits, 1)).toBe(16 * MIB);
    expect(nodeShare(limits, 4)).toBe(16 * MIB);
    expect(nodeShare(limits, 64)).toBe(MIB);
    expect(nodeShare(limits, 60)).toBe(Math.floor((64 * MIB) / 60));
  });
});

describe('cutBytes', () => {
  it('keeps short text whole and cuts long text at a line break within the limit', () => {
    expect(cutBytes('a\nb\n', 100)).toBe('a\nb\n');
    const text = Array.from({ length: 1000 }, (_, i) => `line ${i}`).join('\n');
    const cut = cutBytes(text, 1000);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(1000);
    expect(cut.endsWith('\n')).toBe(true);
    expect(text.startsWith(cut)).toBe(true);
  });

  it('never splits a multi-byte character and counts bytes, not characters', () => {
    const cut = cutBytes('é'.repeat(1000), 101);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(101);
    expect(cut).not.toContain('\uFFFD');
  });
});

describe('keepOutput', () => {
  it('redacts, then cuts to the share and records how much was kept', async () => {
    registerSecret('Known-Secret-42');
    const line = 'community Known-Secret-42 authorization read-only\n';
    const big = line.repeat(100_000);
    const kept = await keepOutput(result(big), { shareBytes: 100_000 }, []);
    expect(kept.output).not.toContain('Known-Secret-42');
    expect(kept.output).toContain('community <redacted> authorization read-only');
    expect(Buffer.byteLength(kept.output)).toBeLessThanOrEqual(100_000);
    expect(kept.cut).toEqual({ shownBytes: Buffer.byteLength(kept.output), totalBytes: Buffer.byteLength(big) });
    expect(cutNote(kept.cut!)).toMatch(/^output cut: showing the first 98 KiB of 4\.8 MiB .*\| match PATTERN/);
  });

  it('leaves an output within its share whole (but redacted), with no cut', async () => {
    const kept = await keepOutput(result('secret "abc-def-ghi";\n'), { shareBytes: 1000 }, []);
    expect(kept.output).toBe('secret "<redacted>";\n');
    expect(kept.cut).toBeUndefined();
  });

  it("removes the node's own password given per call", async () => {
    const kept = await keepOutput(result('login admin/Dev1ce-Pass-77 ok'), { shareBytes: 1000 }, ['Dev1ce-Pass-77']);
    expect(kept.output).toBe('login admin/<redacted> ok');
  });
});
