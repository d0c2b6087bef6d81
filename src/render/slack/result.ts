import type { ChangeView } from '../../ops/changes/types.js';
import { countByStatus, NODE_STATUSES } from '../../ops/outcome.js';
import type { RequestResult } from '../../ops/results.js';
import { redactText } from '../../redact/index.js';
import { renderTerminal } from '../terminal.js';
import type { SlackMessage, ThreadPost } from './block-types.js';
import { changeProposal, changeReply, changesReply, changeStateLine } from './change-blocks.js';
import { execThread } from './exec-blocks.js';
import { driftPosts } from './drift-blocks.js';
import { clip, clipEscaped } from './mrkdwn.js';
import { SECRETS_MASKED_NOTE } from '../../ops/backup-ops.js';
import { planSummary, planThread } from './plan-blocks.js';
import { textReply } from './reply-blocks.js';
import type { RootState } from './root-message.js';
import { nodeKey } from '../../model/node-ref.js';
import { legendLine } from '../../graph/legend.js';
import { FILE_EXTENSIONS, graphBytes } from '../../graph/output.js';

/**
 * How a result appears in Slack:
 *  - `reply`: one message for the asker alone (help, usage errors, denials, lists); when the
 *    request already has a thread (a failure after the root was posted) it goes there instead;
 *  - `thread`: per-node results posted in the request's thread, and the root's final state.
 */
export type SlackRendering =
  | { readonly kind: 'reply'; readonly message: SlackMessage; readonly failure: string | undefined }
  | {
      readonly kind: 'thread';
      readonly posts: readonly ThreadPost[];
      readonly final: (elapsedMs: number) => RootState;
      /** A proposed change: its decision message (buttons) goes last, and the thread is recorded on the change. */
      readonly change?: { readonly view: ChangeView; readonly decision: SlackMessage };
    };

const PLAIN = { color: false, source: 'slack' } as const;

export function renderSlackResult(result: RequestResult): SlackRendering {
  switch (result.kind) {
    case 'help':
      return reply({ code: result.text });
    case 'whoami':
      return reply({ code: result.text });
    case 'usage': {
      const e = result.error;
      const message = textReply({
        lead: `:warning: ${clipEscaped(redactText(e.message), 2000)}`,
        ...(e.usage !== undefined ? { code: `usage: ${e.usage}` } : {}),
        ...(e.hint !== undefined ? { note: e.hint } : {}),
      });
      return { kind: 'reply', message, failure: e.message };
    }
    case 'denied':
      return {
        kind: 'reply',
        message: textReply({ lead: `:no_entry: Denied: ${clipEscaped(redactText(result.decision.reason), 2500)}` }),
        failure: `denied: ${result.decision.reason}`,
      };
    case 'error': {
      const e = result.error;
      const message = textReply({ lead: `:x: ${clipEscaped(redactText(e.message), 2500)}`, ...(e.hint !== undefined ? { note: e.hint } : {}) });
      return { kind: 'reply', message, failure: e.message };
    }
    case 'needs-config':
      return {
        kind: 'reply',
        message: textReply({ lead: ':memo: No configuration given: paste it in the form, or give `--file PATH`, `--device-file PATH` or `--rollback N`.' }),
        failure: 'no configuration given',
      };
    case 'labs':
    case 'nodes':
    case 'node-facts':
    case 'history':
      return reply({ code: renderTerminal(result, 'text', PLAIN) });
    case 'exec':
      return {
        kind: 'thread',
        posts: execThread(result),
        final: (elapsedMs) => ({ phase: 'finished', counts: countByStatus(result.outcomes, NODE_STATUSES), total: result.outcomes.length, elapsedMs }),
      };
    case 'plan':
      return {
        kind: 'thread',
        posts: planThread(result),
        final: (elapsedMs) => ({
          phase: 'finished',
          counts: countByStatus(result.outcomes, NODE_STATUSES),
          total: result.outcomes.length,
          elapsedMs,
          summary: planSummary(result),
        }),
      };
    case 'change': {
      if (result.event === 'proposed' || result.event === 'rollback-proposed') {
        const { post, decision } = changeProposal(result.change);
        const line = changeStateLine(result.change);
        return { kind: 'thread', posts: [post], final: () => ({ phase: 'note', line }), change: { view: result.change, decision } };
      }
      return reply0(changeReply(result.change, result.event));
    }
    case 'changes':
      return reply0(changesReply(result.changes, result.filter));
    case 'backup':
      return backupRendering(result);
    case 'graph':
      return graphRendering(result);
    case 'render':
      return renderRendering(result);
    case 'drift': {
      const drifted = result.outcomes.filter((o) => o.value?.status === 'drifted').length;
      return {
        kind: 'thread',
        posts: driftPosts(result.outcomes),
        final: (elapsedMs) => ({
          phase: 'finished',
          counts: countByStatus(result.outcomes, NODE_STATUSES),
          total: result.outcomes.length,
          elapsedMs,
          summary: drifted === 0 ? 'no drift' : `${drifted} of ${result.outcomes.length} drifted`,
        }),
      };
    }
    case 'drift-adopted':
      return reply({ lead: `:white_check_mark: ${clipEscaped(renderTerminal(result, 'text', PLAIN), 500)}` });
    default:
      return result satisfies never;
  }
}

/**
 * `render`: the renderings as a reply when short, else one file (every node, as the terminal
 * prints them) in a thread. Redacted like any output: a template may set secrets.
 */
function renderRendering(result: Extract<RequestResult, { kind: 'render' }>): SlackRendering {
  const text = renderTerminal(result, 'text', PLAIN);
  if (text.split('\n').length <= INLINE_BACKUP_LINES) return reply({ code: text });
  const nodes = result.rendered.length;
  const line = `${result.template.path} rendered for ${nodes} node${nodes === 1 ? '' : 's'}`;
  const base = result.template.path.split('/').at(-1) ?? 'template';
  return {
    kind: 'thread',
    posts: [
      {
        message: textReply({ lead: `:page_facing_up: ${clipEscaped(line, 300)}: the text is attached` }),
        file: { filename: `${base}.rendered.txt`.replace(/[^A-Za-z0-9_.-]/g, '_'), title: clip(line, 200), content: text },
      },
    ],
    final: () => ({ phase: 'note', line: `:page_facing_up: ${clipEscaped(line, 300)}` }),
  };
}

/** Lines of a stored configuration or diff shown inline; longer ones go in the thread as a file. */
const INLINE_BACKUP_LINES = 40;

/**
 * `backup`: saving posts its per-node lines in the request's thread (it touched devices, so it
 * has a root); a list is a reply; a configuration or diff is a reply when short, else a file in a thread.
 */
function backupRendering(result: Extract<RequestResult, { kind: 'backup' }>): SlackRendering {
  const b = result.backup;
  const text = renderTerminal(result, 'text', PLAIN);
  if (b.action === 'save') {
    return {
      kind: 'thread',
      posts: [{ message: textReply({ code: text }) }],
      final: (elapsedMs) => ({ phase: 'finished', counts: countByStatus(b.outcomes, NODE_STATUSES), total: b.outcomes.length, elapsedMs }),
    };
  }
  if ((b.action !== 'show' && b.action !== 'diff') || text.split('\n').length <= INLINE_BACKUP_LINES) return reply({ code: text });
  const node = b.action === 'show' ? b.backup : b.node;
  const what = b.action === 'show' ? `version ${b.backup.version}` : `diff of versions ${b.from.version} and ${b.to.version}`;
  const filename = b.action === 'show' ? `${node.name}-v${b.backup.version}.cfg` : `${node.name}-v${b.from.version}-v${b.to.version}.diff`;
  const line = `${nodeKey(node)}: backup ${what}`;
  return {
    kind: 'thread',
    posts: [
      {
        message: textReply({ lead: `:floppy_disk: ${clipEscaped(line, 300)}: the text is attached`, note: SECRETS_MASKED_NOTE }),
        file: {
          filename: filename.replace(/[^A-Za-z0-9_.-]/g, '_'),
          title: clip(line, 200),
          content: text,
          ...(b.action === 'diff' ? { snippetType: 'diff' as const } : {}),
        },
      },
    ],
    final: () => ({ phase: 'note', line: `:floppy_disk: ${clipEscaped(line, 300)}` }),
  };
}

/**
 * `graph`: the picture (PNG unless --output says otherwise) as a file in the request's thread, with
 * the one-line legend; what the picture cannot show (links unknown, vendors not read) as a note.
 */
function graphRendering(result: Extract<RequestResult, { kind: 'graph' }>): SlackRendering {
  const { graph, request } = result;
  const format = request.output ?? 'png';
  const name = graph.labs.length === 1 ? (graph.labs[0] ?? 'lab') : 'labs';
  const what = `${graph.labs.length === 1 ? 'lab' : 'labs'} ${graph.labs.join(', ') || '(none)'}${graph.check === undefined ? '' : ` (--check ${graph.check})`}`;
  const legend = legendLine(graph);
  const down = graph.links.filter((l) => l.adjacency?.verdict === 'down').length + graph.nodes.filter((n) => n.state === 'unreachable').length;
  const lead = `${down > 0 ? ':red_circle:' : ':world_map:'} ${clipEscaped(what, 300)}: ${clipEscaped(legend, 2000)}`;
  return {
    kind: 'thread',
    posts: [
      {
        message: textReply({ lead, ...(graph.notes.length > 0 ? { note: graph.notes.join('\n') } : {}) }),
        file: {
          filename: `${name.replace(/[^A-Za-z0-9_.-]/g, '_')}.${FILE_EXTENSIONS[format]}`,
          title: clip(what, 200),
          content: { bytes: () => graphBytes(graph, format) },
        },
      },
    ],
    final: () => ({ phase: 'note', line: `${down > 0 ? ':red_circle:' : ':world_map:'} ${clipEscaped(what, 300)}: the picture is in the thread` }),
  };
}

function reply(r: Parameters<typeof textReply>[0]): SlackRendering {
  return reply0(textReply(r));
}

function reply0(message: SlackMessage): SlackRendering {
  return { kind: 'reply', message, failure: undefined };
}

/** A one-line ephemeral message (front-end failures such as unresolvable user groups). */
export function noticeMessage(emoji: string, text: string): SlackMessage {
  return textReply({ lead: `${emoji} ${clipEscaped(redactText(text), 2500)}` });
}
