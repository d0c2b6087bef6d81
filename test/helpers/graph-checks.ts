/** Checks on the pictures `graph` makes, written from the formats' own specifications. */

/** Width and height from a PNG's IHDR chunk (PNG spec §11.2.2); throws when the bytes are not a PNG. */
export function pngSize(png: Buffer): { width: number; height: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (png.length < 33 || !png.subarray(0, 8).equals(signature)) throw new Error('not a PNG: the signature is missing');
  if (png.subarray(12, 16).toString('latin1') !== 'IHDR') throw new Error('not a PNG: the first chunk is not IHDR');
  if (png.readUInt32BE(8) !== 13) throw new Error('IHDR is not 13 bytes long');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const unescape = (s: string) =>
  s.replace(/&#45;/g, '-').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

export interface SvgPart {
  readonly title: string;
  readonly texts: readonly string[];
  readonly body: string;
}

/** Graphviz's SVG: each node and edge is a `<g class="node|edge">` holding a <title> and its <text> labels. */
export function svgParts(svg: string, kind: 'node' | 'edge'): SvgPart[] {
  const out: SvgPart[] = [];
  // Groups are siblings; a tooltip nests an unclassed <g id="a_…"><a> inside one, which belongs to it.
  const parts: { kind: string; body: string }[] = [];
  for (const chunk of svg.split('<g id="').slice(1)) {
    const m = /^[^"]*" class="([a-z]+)">/.exec(chunk);
    if (m !== null) parts.push({ kind: m[1]!, body: chunk });
    else if (parts.length > 0) parts[parts.length - 1]!.body += chunk;
  }
  for (const part of parts) {
    if (part.kind !== kind) continue;
    const body = part.body;
    const title = unescape(/<title>([\s\S]*?)<\/title>/.exec(body)?.[1] ?? '');
    const texts = [...body.matchAll(/<text[^>]*>([\s\S]*?)<\/text>/g)].map((t) => unescape(t[1] ?? ''));
    out.push({ title, texts, body });
  }
  return out;
}

/**
 * A structural check of mermaid `flowchart` text: the header, node declarations with quoted
 * labels, balanced subgraphs, edges whose two ends are declared ids, and style lines naming
 * declared ids and existing link indexes. Returns the problems found (none: it parses).
 */
export function mermaidProblems(text: string): string[] {
  const problems: string[] = [];
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (!/^flowchart (LR|RL|TB|TD|BT)$/.test(lines[0] ?? '')) problems.push(`header: ${lines[0]}`);
  const ids = new Set<string>();
  const edges: [string, string][] = [];
  let depth = 0;
  const label = String.raw`"[^"]*"`;
  const shapes = [String.raw`\[${label}\]`, String.raw`\(${label}\)`, String.raw`\(\[${label}\]\)`, String.raw`\[\[${label}\]\]`, String.raw`\{\{${label}\}\}`, String.raw`\{${label}\}`, String.raw`\[/${label}\\\]`, String.raw`>${label}\]`];
  const node = new RegExp(`^([A-Za-z][A-Za-z0-9_]*)(?:${shapes.join('|')})$`);
  const edge = new RegExp(`^([A-Za-z][A-Za-z0-9_]*) ---\\|${label}\\| ([A-Za-z][A-Za-z0-9_]*)$`);
  for (const raw of lines.slice(1)) {
    const line = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = new RegExp(`^subgraph ([A-Za-z][A-Za-z0-9_]*)\\[${label}\\]$`).exec(line))) depth += 1;
    else if (line === 'end') {
      depth -= 1;
      if (depth < 0) problems.push('end without subgraph');
    } else if ((m = node.exec(line))) ids.add(m[1]!);
    else if ((m = edge.exec(line))) edges.push([m[1]!, m[2]!]);
    else if (/^classDef [a-z]+ \S.*$/.test(line)) continue;
    else if ((m = /^class ([A-Za-z0-9_,]+) [a-z]+$/.exec(line))) {
      for (const id of m[1]!.split(',')) if (!ids.has(id)) problems.push(`class names undeclared ${id}`);
    } else if ((m = /^linkStyle ([\d,]+) [^\s]+$/.exec(line))) {
      for (const i of m[1]!.split(',')) if (Number(i) >= edges.length) problems.push(`linkStyle ${i} names no link`);
    } else problems.push(`unreadable line: ${line}`);
  }
  if (depth !== 0) problems.push('unbalanced subgraph');
  for (const [a, z] of edges) for (const id of [a, z]) if (!ids.has(id)) problems.push(`edge end ${id} is not declared`);
  return problems;
}
