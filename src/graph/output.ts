/** A LabGraph in the format asked for, as the bytes to write or upload; the renderers load only when a picture is asked for. */
import { extname } from 'node:path';
import { UsageError } from '../errors.js';
import { toDot } from './dot.js';
import { toMermaid } from './mermaid.js';
import type { GraphOutput, LabGraph } from './model.js';

const EXTENSIONS: Readonly<Record<string, GraphOutput>> = {
  '.png': 'png',
  '.svg': 'svg',
  '.dot': 'dot',
  '.gv': 'dot',
  '.mmd': 'mermaid',
  '.mermaid': 'mermaid',
};

export const FILE_EXTENSIONS: Readonly<Record<GraphOutput, string>> = { png: 'png', svg: 'svg', dot: 'dot', mermaid: 'mmd' };

/** The format of `--out FILE`: --output when given (it must agree with a known extension), else the extension. */
export function outputFormat(out: string | undefined, output: GraphOutput | undefined): GraphOutput {
  const byExtension = out === undefined ? undefined : EXTENSIONS[extname(out).toLowerCase()];
  if (output !== undefined && byExtension !== undefined && byExtension !== output) {
    throw new UsageError(`--output ${output} does not match the file name ${out} (a ${byExtension} file)`, { hint: `name the file *.${FILE_EXTENSIONS[output]}, or drop --output` });
  }
  if (output !== undefined) return output;
  if (byExtension !== undefined) return byExtension;
  if (out === undefined) return 'png';
  throw new UsageError(`cannot tell the format of ${out} from its extension`, { hint: 'name it .png, .svg, .dot or .mmd, or add --output png|svg|dot|mermaid' });
}

export async function graphBytes(graph: LabGraph, format: GraphOutput): Promise<Buffer> {
  switch (format) {
    case 'dot':
      return Buffer.from(toDot(graph), 'utf8');
    case 'mermaid':
      return Buffer.from(toMermaid(graph), 'utf8');
    case 'svg':
    case 'png': {
      const { renderDot } = await import('./render.js');
      return renderDot(toDot(graph), format);
    }
    default:
      return format satisfies never;
  }
}
