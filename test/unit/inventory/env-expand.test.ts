import { describe, expect, it } from 'vitest';

import { expandEnv } from '../../../src/inventory/env-expand.js';

const env = { IMAGE: 'ceos:4.33.1F', EMPTY: '', USER: 'lab' };

function expand(text: string): string {
  const out = expandEnv(text, env);
  if (!out.ok) throw new Error(out.reason);
  return out.text;
}

describe('expandEnv (containerlab envsubst rules)', () => {
  it.each([
    ['image: ${IMAGE}', 'image: ceos:4.33.1F'],
    ['image: $IMAGE', 'image: ceos:4.33.1F'],
    ['image: ${MISSING:-srlinux:latest}', 'image: srlinux:latest'],
    ['image: ${IMAGE:-srlinux:latest}', 'image: ceos:4.33.1F'],
    ['image: ${EMPTY:-fallback}', 'image: fallback'],
    ['image: ${MISSING:=fallback}', 'image: fallback'],
    ['image: ${EMPTY-fallback}', 'image: $EMPTY'],
    ['image: ${MISSING-fallback}', 'image: fallback'],
    ['x: ${USER:+set}${MISSING:+no}', 'x: set'],
    ['x: ${MISSING}', 'x: $MISSING'],
    ['x: $MISSING', 'x: $MISSING'],
    ['password: pa$$word', 'password: pa$word'],
    ['cmd: echo $1 ${2}', 'cmd: echo $1 ${2}'],
    ['cost: 5$', 'cost: 5$'],
    ['x: ${MISSING:-$USER}', 'x: lab'],
  ])('%s', (input, output) => {
    expect(expand(input)).toBe(output);
  });

  it('reports a ${ left open on its line', () => {
    const out = expandEnv('name: lab\nimage: ${IMAGE\n', env);
    expect(out).toEqual({ ok: false, line: 2, reason: expect.stringContaining('closing brace') });
  });
});
