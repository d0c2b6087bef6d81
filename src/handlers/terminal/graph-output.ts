import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { legendLine } from '../../graph/legend.js';
import { graphBytes, outputFormat } from '../../graph/output.js';
import type { RequestResult } from '../../ops/results.js';

/** Whether a graph result goes out as a file or raw bytes (--out, --output) rather than as the text summary. */
export function wantsGraphFile(result: RequestResult): result is Extract<RequestResult, { kind: 'graph' }> {
  return result.kind === 'graph' && (result.request.out !== undefined || result.request.output !== undefined);
}

/**
 * Writes the picture: to --out FILE (relative to the terminal's directory), or to standard output
 * for --output alone. A PNG is refused on a terminal screen (binary); the legend and notes go to
 * standard error so a redirected stdout holds the picture only.
 */
export async function writeGraphOutput(
  result: Extract<RequestResult, { kind: 'graph' }>,
  io: { readonly stdout: NodeJS.WritableStream & { isTTY?: boolean }; readonly stderr: NodeJS.WritableStream; readonly cwd: string },
): Promise<void> {
  const { graph, request } = result;
  const format = outputFormat(request.out, request.output);
  if (request.out === undefined && format === 'png' && io.stdout.isTTY === true) {
    throw new UsageError('a PNG is binary and would garble the terminal', { hint: 'write it to a file with --out lab.png, or redirect: > lab.png' });
  }
  const bytes = await graphBytes(graph, format);
  const notes = graph.notes.map((n) => `note: ${n}\n`).join('');
  if (request.out === undefined) {
    io.stdout.write(bytes);
    io.stderr.write(`${legendLine(graph)}\n${notes}`);
    return;
  }
  const path = resolve(io.cwd, request.out);
  try {
    writeFileSync(path, bytes);
  } catch (err) {
    throw new UsageError(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { hint: 'choose a file in a directory you can write' });
  }
  io.stdout.write(`wrote ${path} (${format}, ${bytes.length} bytes)\n${legendLine(graph)}\n${notes}`);
}
