import { describe, expect, it } from 'vitest';

import { didYouMean, editDistance, suggest } from '../../../src/util/suggest.js';

describe('editDistance', () => {
  it.each([
    ['router1', 'router1', 0],
    ['router1', 'Router1', 0],
    ['routr1', 'router1', 1],
    ['rotuer1', 'router1', 1],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
  ])('%s → %s = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });
});

describe('suggest', () => {
  const nodes = ['router1', 'router2', 'router3', 'spine1', 'leaf1', 'PC1'];

  it('offers the closest names, best first, at most three', () => {
    expect(suggest('routr1', nodes)).toEqual(['router1', 'router2', 'router3']);
    expect(suggest('spin1', nodes)).toEqual(['spine1']);
  });

  it('ranks names starting with the input first', () => {
    expect(suggest('router', nodes)).toEqual(['router1', 'router2', 'router3']);
    expect(suggest('vjunos', ['vjunosswitch', 'vjunosrouter', 'vmx'], { limit: 2 })).toEqual(['vjunosrouter', 'vjunosswitch']);
  });

  it('ignores case and skips the input itself', () => {
    expect(suggest('pc2', nodes)).toEqual(['PC1']);
    expect(suggest('leaf1', nodes)).not.toContain('leaf1');
  });

  it('offers nothing when nothing is close', () => {
    expect(suggest('zzzzzz', nodes)).toEqual([]);
    expect(suggest('', nodes)).toEqual([]);
  });
});

describe('didYouMean', () => {
  it('phrases one, several or no suggestions', () => {
    expect(didYouMean(['router1'])).toBe('did you mean router1?');
    expect(didYouMean(['a', 'b', 'c'])).toBe('did you mean a, b or c?');
    expect(didYouMean([])).toBe('');
  });
});
