import { describe, expect, it } from 'vitest';
import { isQuoted, lenientWords, quoteWord, readWord } from '../../../src/grammar/tokenize.js';

function words(text: string): string[] {
  return lenientWords(text).map((t) => t.value);
}

describe('readWord', () => {
  const cases: [string, string[]][] = [
    ['a b  c', ['a', 'b', 'c']],
    ['"a b" c', ['a b', 'c']],
    ["'a \"b\"' c", ['a "b"', 'c']],
    ['"say \\"hi\\"" x', ['say "hi"', 'x']],
    ['"back\\\\slash"', ['back\\slash']],
    ['"keep \\n as is"', ['keep \\n as is']],
    ["'no \\\" escapes'", ['no \\" escapes']],
    ["don't stop", ["don't", 'stop']],
    ['--comment="a b" x', ['--comment=a b', 'x']],
    ['a\\ b c', ['a b', 'c']],
    ['a\\|b', ['a\\|b']],
    ['"a"\'b\'c', ['abc']],
    ['""', ['']],
  ];

  it.each(cases)('%s', (text, expected) => {
    expect(words(text)).toEqual(expected);
  });

  it('marks which part of a word was typed plainly', () => {
    const r = readWord('--comment="a b"', 0);
    expect(r).toMatchObject({ kind: 'word', token: { value: '--comment=a b', plain: 10 } });
    const q = readWord('"--format"', 0);
    expect(q.kind === 'word' && isQuoted(q.token)).toBe(true);
  });

  it('reports an unclosed quote with its offset, and lenientWords runs it to the end', () => {
    expect(readWord('x "abc', 1)).toEqual({ kind: 'unclosed', quote: '"', at: 2, start: 2 });
    expect(words('x "abc def')).toEqual(['x', 'abc def']);
  });
});

describe('quoteWord', () => {
  it.each(['plain', 'a b', 'say "hi"', "it's", 'back\\slash', '-dash', '', 'a=b,c/d:e'])('%j reads back unchanged', (value) => {
    const r = readWord(quoteWord(value), 0);
    expect(r.kind === 'word' ? r.token.value : r.kind).toBe(value);
  });

  it('leaves simple words bare', () => {
    expect(quoteWord('configs/r1.conf')).toBe('configs/r1.conf');
    expect(quoteWord('two words')).toBe('"two words"');
  });
});
