import { describe, expect, it } from 'vitest';
import type { RequestThread } from '../../../src/db/request-threads.js';
import type { ChangeView } from '../../../src/ops/changes/types.js';
import type { HomeSummary, LabInSight } from '../../../src/ops/home.js';
import { homeView, threadKey } from '../../../src/render/slack/index.js';
import { checkView } from '../../fakes/slack/block-limits.js';

function change(id: number): ChangeView {
  const plan = { status: 'ok' as const, diff: '+ x', diffHash: 'h', base: undefined, check: { ok: true, warnings: [], errors: [] }, error: undefined, at: undefined, commitConfirmed: true };
  const apply = { status: 'pending' as const, commitId: undefined, commits: 0, error: undefined, beforeConfigSaved: false, at: undefined };
  return {
    id,
    ref: `#${id}`,
    requestId: `req-${id}`,
    state: 'planned',
    open: true,
    reason: undefined,
    requester: { id: 'U0ALICE', name: 'alice' },
    approvals: [],
    requiredApprovals: 1,
    approvable: true,
    failing: [],
    nothingToChange: false,
    source: { type: 'text', format: 'text', lines: 1, bytes: 4, sha256: 'a'.repeat(64) },
    method: 'merge',
    confirmMinutes: 5,
    check: undefined,
    comment: 'x'.repeat(400),
    rollbackOf: undefined,
    targets: Array.from({ length: 40 }, (_, i) => ({ lab: 'dc1', node: `leaf${i}`, key: `dc1/leaf${i}`, plan, apply })),
    channel: 'C0LAB',
    thread: { channel: 'C0LAB', threadTs: `1700000000.${String(id).padStart(6, '0')}`, rootTs: undefined },
    createdAt: '2026-12-07T00:00:00.000Z',
    updatedAt: '2026-12-07T00:00:00.000Z',
    expiresAt: '2026-12-07T01:00:00.000Z',
    version: 1,
    events: [],
  } satisfies ChangeView;
}

const lab = (i: number): LabInSight => ({ name: `lab-${'n'.repeat(60)}-${i}`, nodes: 200, counts: { reachable: 150, unreachable: 30, unknown: 20 } });
const request = (i: number): RequestThread => ({
  requestId: `r${i}`,
  userId: 'U0BOB',
  channel: 'C0LAB',
  ts: `1700000100.${String(i).padStart(6, '0')}`,
  what: `exec --all show ${'route '.repeat(60)}`,
  at: new Date('2026-12-07T00:00:00Z'),
});

function texts(view: { blocks: readonly unknown[] }): string {
  return JSON.stringify(view.blocks);
}

describe('the App Home view', () => {
  const now = new Date('2026-12-07T00:30:00Z');

  it('a huge home stays within Slack\'s view limits and says how much it left out', () => {
    const home: HomeSummary = {
      awaiting: Array.from({ length: 60 }, (_, i) => change(i + 1)),
      labs: Array.from({ length: 300 }, (_, i) => lab(i)),
      recent: Array.from({ length: 10 }, (_, i) => request(i)),
    };
    const view = homeView(home, new Map(), { now });
    expect(checkView(view)).toBeUndefined();
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const shown = view.blocks.filter((b) => b.type === 'actions').length;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(60);
    expect(texts(view)).toContain(`…and ${60 - shown} more waiting: \`/clab changes --pending\` lists them all`);
    expect(texts(view)).toMatch(/…and \d+ more labs: `\/clab labs` lists them all/);
    // A change's 40 nodes are named up to five, then counted.
    expect(texts(view)).toContain('dc1/leaf0, dc1/leaf1, dc1/leaf2, dc1/leaf3, dc1/leaf4 and 35 more');
  });

  it('links a request to its thread when the permalink is known, else names its channel', () => {
    const r = request(1);
    const linked = homeView({ awaiting: [], labs: [], recent: [r] }, new Map([[threadKey(r.channel, r.ts), 'https://x.slack.com/archives/C0LAB/p1']]), { now });
    expect(texts(linked)).toContain('<https://x.slack.com/archives/C0LAB/p1|exec --all show route');
    const unlinked = homeView({ awaiting: [], labs: [], recent: [r] }, new Map(), { now });
    expect(texts(unlinked)).toMatch(/exec --all show route[^"]*… in <#C0LAB>/);
  });

  it('a viewer with nothing to approve gets no buttons', () => {
    const view = homeView({ awaiting: [], labs: [lab(1)], recent: [] }, new Map(), { now });
    expect(view.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(texts(view)).toContain('Nothing is waiting for your approval');
  });
});
