import { describe, expect, it } from 'vitest';
import { normaliseSlackText } from '../../../src/grammar/index.js';

describe('normaliseSlackText', () => {
  const cases: [string, string][] = [
    ['show route | match "a&gt;b"', 'show route | match "a>b"'],
    ['a &amp;&amp; b &lt;c&gt;', 'a && b <c>'],
    // One pass: an escaped entity stays an entity.
    ['&amp;lt;', '&lt;'],
    ['<http://r1.lab|r1.lab>', 'r1.lab'],
    ['<http://example.com>', 'http://example.com'],
    ['<https://example.com/a?b=1&amp;c=2|example.com/a>', 'example.com/a'],
    ['<mailto:ops@example.com|ops@example.com>', 'ops@example.com'],
    ['<mailto:ops@example.com>', 'ops@example.com'],
    ['<@U0ALICE|alice>', '@alice'],
    ['<@U0ALICE>', '@U0ALICE'],
    ['<#C0LAB|lab-ops>', '#lab-ops'],
    ['<#C0LAB>', '#C0LAB'],
    ['<!subteam^S01|@netops>', '@netops'],
    ['<!subteam^S01>', '@S01'],
    ['<!here>', '@here'],
    ['<!channel>', '@channel'],
    ['<!date^1392734382^{date_short}|Feb 18, 2014>', 'Feb 18, 2014'],
    ['\u201Cquoted\u201D and \u2018single\u2019', '"quoted" and \'single\''],
    ['\u201Elow\u201C', '"low"'],
    ['config r1 \u2014dry-run \u2013comment x', 'config r1 --dry-run --comment x'],
    // A dash between words is punctuation, not an option.
    ['fix \u2014 really', 'fix \u2014 really'],
    ['a < b', 'a < b'],
    ['', ''],
  ];

  it.each(cases)('%s', (input, expected) => {
    expect(normaliseSlackText(input)).toBe(expected);
  });
});
