/**
 * Output modifiers after `|` as IOS and IOS-XR apply them to a command's text: include, exclude,
 * begin, section (prefixes accepted). Anything else is invalid input at the pipe's word.
 */

export type PipeResult = { readonly ok: true; readonly apply: (text: string) => string } | { readonly ok: false; readonly column: number };

const STAGES = ['include', 'exclude', 'begin', 'section'] as const;

/** Splits `line` at ` | ` into the command and a filter; `offset` is where the pipe part starts in the typed line. */
export function splitPipes(line: string): { command: string; stages: { text: string; column: number }[] } {
  const parts = line.split(/ \|/);
  const stages: { text: string; column: number }[] = [];
  let column = (parts[0] ?? '').length + 2;
  for (const part of parts.slice(1)) {
    const lead = part.length - part.trimStart().length;
    stages.push({ text: part.trim(), column: column + lead });
    column += part.length + 2;
  }
  return { command: parts[0] ?? '', stages };
}

export function pipeFilter(stages: readonly { text: string; column: number }[]): PipeResult {
  const filters: ((lines: string[]) => string[])[] = [];
  for (const stage of stages) {
    const [word = '', ...rest] = stage.text.split(/\s+/);
    const matches = STAGES.filter((s) => s.startsWith(word.toLowerCase()));
    if (matches.length !== 1 || rest.length === 0) return { ok: false, column: stage.column };
    let re: RegExp;
    try {
      re = new RegExp(rest.join(' '));
    } catch {
      return { ok: false, column: stage.column };
    }
    switch (matches[0]) {
      case 'include':
        filters.push((ls) => ls.filter((l) => re.test(l)));
        break;
      case 'exclude':
        filters.push((ls) => ls.filter((l) => !re.test(l)));
        break;
      case 'begin':
        filters.push((ls) => {
          const at = ls.findIndex((l) => re.test(l));
          return at < 0 ? [] : ls.slice(at);
        });
        break;
      default:
        filters.push((ls) => {
          const out: string[] = [];
          let block: string[] = [];
          const flush = (): void => {
            if (block.some((l) => re.test(l))) out.push(...block);
            block = [];
          };
          for (const l of ls) {
            if (!/^\s/.test(l)) flush();
            block.push(l);
          }
          flush();
          return out;
        });
    }
  }
  return { ok: true, apply: (text) => filters.reduce((ls, f) => f(ls), text === '' ? [] : text.split('\n')).join('\n') };
}
