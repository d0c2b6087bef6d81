import type { CliDialect } from './cli-dialect.js';
import { DIALECTS } from './dialects/index.js';
import { tokenizeCommand, type Token } from './command-tokenize.js';
import { lookupKeyword } from './keyword-tree.js';
import { expandPipeStage } from './safe-pipes.js';

/**
 * A command in the one form that is both checked and sent: keywords lowercased and expanded
 * (`sh int terse` → `show interfaces terse`), whitespace collapsed, pipes split. `text` is what the
 * driver must send to the device, so what runs is exactly what the policy allowed.
 */
export type NormalisedCommand =
  | {
      readonly ok: true;
      readonly dialect: CliDialect;
      /** The command before the first pipe, one entry per word (quotes removed). */
      readonly words: readonly string[];
      /** Each pipe stage's words, stage name first (`[['match', 'ge-0/0/0'], ['count']]`). */
      readonly pipes: readonly (readonly string[])[];
      readonly text: string;
    }
  | { readonly ok: false; readonly dialect: CliDialect; readonly reason: string };

export function normaliseCommand(command: string, dialect: CliDialect): NormalisedCommand {
  // Only spaces and tabs are trimmed: String.trim would also drop line breaks and Unicode spaces,
  // which must be refused instead.
  const spec = DIALECTS[dialect];
  const tokenized = tokenizeCommand(command.replace(/^[ \t]+|[ \t]+$/g, ''), { shell: spec.shell, quoting: spec.quoting, label: spec.label });
  if (!tokenized.ok) return { ok: false, dialect, reason: tokenized.reason };
  const [main = [], ...stages] = tokenized.segments;

  const expanded = expandKeywords(main, dialect);
  if (!expanded.ok) return { ok: false, dialect, reason: expanded.reason };
  const refusal = refusedCommand(expanded.tokens, dialect);
  if (refusal !== undefined) return { ok: false, dialect, reason: refusal };

  const pipes: Token[][] = stages.map((stage) => {
    const plain = stage.map((t) => t.value);
    // Only unquoted leading words are keywords; a quoted word keeps its quote and value.
    const names = expandPipeStage(dialect, plain);
    return stage.map((t, i) => (t.quote === undefined ? { value: names[i] ?? t.value, quote: undefined } : t));
  });

  const render = (tokens: readonly Token[]): string =>
    tokens.map((t) => (t.quote === undefined ? t.value : `${t.quote}${t.value}${t.quote}`)).join(' ');
  const text = [render(expanded.tokens), ...pipes.map(render)].join(' | ');
  return {
    ok: true,
    dialect,
    words: expanded.tokens.map((t) => t.value),
    pipes: pipes.map((stage) => stage.map((t) => t.value)),
    text,
  };
}

/** Why the dialect refuses this command whatever the policy says, or undefined. */
function refusedCommand(tokens: readonly Token[], dialect: CliDialect): string | undefined {
  const spec = DIALECTS[dialect];
  const [head] = tokens;
  if (spec.refused === undefined || head === undefined) return undefined;
  const first = head.value.toLowerCase();
  // A quoted first word was not expanded, but the device may still read it as a keyword or a
  // prefix of one (`"ru"`), so it is compared as a prefix too.
  const name = Object.keys(spec.refused).find(
    (k) => k === first || (head.quote !== undefined && spec.keywords.prefixes && first !== '' && k.startsWith(first)),
  );
  const rule = name === undefined ? undefined : spec.refused[name];
  return name === undefined || rule === undefined ? undefined : `\`${name}\` is refused on ${spec.label}: ${rule.why}`;
}

function expandKeywords(
  tokens: readonly Token[],
  dialect: CliDialect,
): { ok: true; tokens: Token[] } | { ok: false; reason: string } {
  const rules = DIALECTS[dialect].keywords;
  let position = rules.tree;
  const out: Token[] = [];
  for (const token of tokens) {
    if (token.quote !== undefined) {
      out.push(token);
      continue;
    }
    const found = lookupKeyword(position, token.value.toLowerCase(), rules.prefixes);
    switch (found.kind) {
      case 'keyword':
        out.push({ value: found.keyword, quote: undefined });
        position = found.next;
        break;
      case 'ambiguous':
        return {
          ok: false,
          reason: `\`${token.value}\`${out.length === 0 ? '' : ` after \`${out.map((t) => t.value).join(' ')}\``} is ambiguous (${found.candidates.join(', ')}); type more of it`,
        };
      case 'argument':
        out.push(token);
        break;
      default:
        return found satisfies never;
    }
  }
  return { ok: true, tokens: out };
}
