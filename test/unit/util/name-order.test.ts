import { describe, expect, it } from 'vitest';
import { compareNames, naturalOrder } from '../../../src/util/name-order.js';

const CHARS = ['a', 'b', 'z', '0', '1', '2', '9', '-', '.', '_'];
/** Every name of up to three of CHARS (about a thousand), plus names that take the collator's path. */
function names(): string[] {
  const out = [''];
  let level = [''];
  for (let n = 0; n < 3; n++) {
    level = level.flatMap((prefix) => CHARS.map((c) => prefix + c));
    out.push(...level);
  }
  return [...out, 'srl1', 'srl10', 'srl2', 'leaf-1', 'leaf_1', 'leaf.1', 'r01', 'r1', 'R1', 'r1a', 'Spine', 'spine', 'é', 'e', 'z9', 'clab-lab', 'lab.clab.yml'];
}

const sign = (n: number) => Math.sign(n);

describe('compareNames', () => {
  const all = names();
  // A sample of pairs (every 11th) keeps the run short.
  const pairs = all.flatMap((a, i) => all.filter((_, j) => (i * all.length + j) % 11 === 0).map((b) => [a, b] as const));
  // The same comparison as a.localeCompare(b, 'en', { numeric }), built once.
  const collator = { true: new Intl.Collator('en', { numeric: true }), false: new Intl.Collator('en', { numeric: false }) };

  it('orders names exactly as the English collator does, natural and plain', () => {
    expect(pairs.length).toBeGreaterThan(90_000);
    const wrong = pairs.flatMap(([a, b]) =>
      [true, false].filter((numeric) => sign(compareNames(a, b, numeric)) !== sign(collator[`${numeric}`].compare(a, b))).map((numeric) => `${a} ${b} numeric=${numeric}`),
    );
    expect(wrong).toEqual([]);
  });

  it('puts node2 before node10, and sorts a lab the way a person reads it', () => {
    expect(['r10', 'r2', 'leaf-1', 'R1', 'r1'].sort(naturalOrder)).toEqual(['leaf-1', 'r1', 'R1', 'r2', 'r10']);
  });
});
