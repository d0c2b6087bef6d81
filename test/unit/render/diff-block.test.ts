import { describe, expect, it } from 'vitest';
import { alignDiff, diffBlock } from '../../../src/render/slack/diff-block.js';

describe('inline diffs keep one marker column', () => {
  it('a Junos diff: the [edit …] header gets a space, +/- lines are kept as they are', () => {
    expect(alignDiff('[edit system]\n-  host-name r1;\n+  host-name r2;\n')).toBe(' [edit system]\n-  host-name r1;\n+  host-name r2;\n');
  });

  it('a unified diff: @@ hunks get a space, ---/+++ and context lines keep theirs', () => {
    expect(alignDiff('--- a\n+++ b\n@@ -1,2 +1,2 @@\n hostname r1\n-ntp server 1.1.1.1\n+ntp server 2.2.2.2')).toBe(
      '--- a\n+++ b\n @@ -1,2 +1,2 @@\n hostname r1\n-ntp server 1.1.1.1\n+ntp server 2.2.2.2',
    );
  });

  it('tabs become spaces counted from the content, so +, - and context line up', () => {
    const aligned = alignDiff('+\tdescription a;\n-\tdescription b;\n \tunit 0;\n+ab\tc');
    expect(aligned).toBe('+        description a;\n-        description b;\n         unit 0;\n+ab      c');
    expect(aligned).not.toContain('\t');
  });

  it('every line of the code block starts with +, - or a space', () => {
    const block = diffBlock('Building configuration...\n!! IOS XR Configuration\n+ hostname x\n- hostname y\nend', 2000).text;
    const body = block.split('\n').slice(1, -1);
    expect(body.every((l) => /^[ +-]/.test(l))).toBe(true);
  });
});
