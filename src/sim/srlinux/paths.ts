/**
 * SR Linux JSON-RPC paths: `/interface[name=ethernet-1/1]/subinterface[index=0]/description`,
 * optionally with the value after a colon (`/interface[name=mgmt0]/description:set-via-json-rpc`).
 * Key values may hold `/` and `:`; only brackets delimit them.
 */
export interface PathSegment {
  readonly name: string;
  /** Key name → value ('*' = every entry). */
  readonly keys: Readonly<Record<string, string>>;
}

export interface ParsedPath {
  readonly segments: readonly PathSegment[];
  /** The value given inline after `:` on the last element. */
  readonly value: string | undefined;
}

export class PathError extends Error {}

const MODULE_PREFIX = /^(?:srl_nokia|openconfig|ietf)[a-z0-9_-]*:/;

export function parsePath(raw: string): ParsedPath {
  const text = raw.trim();
  if (!text.startsWith('/')) throw new PathError(`Path not valid - paths start with '/': ${raw}`);
  const parts: string[] = [];
  let current = '';
  let depth = 0;
  for (const ch of text.slice(1)) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (depth < 0) throw new PathError(`Path not valid - unbalanced ']' in ${raw}`);
    if (ch === '/' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  if (depth !== 0) throw new PathError(`Path not valid - unbalanced '[' in ${raw}`);
  if (current !== '' || parts.length > 0) parts.push(current);
  let value: string | undefined;
  const segments = parts.map((part, i) => {
    let body = part.replace(MODULE_PREFIX, '');
    if (i === parts.length - 1) {
      const split = valueColon(body);
      if (split >= 0) {
        value = body.slice(split + 1);
        body = body.slice(0, split);
      }
    }
    return segment(body, raw);
  });
  return { segments, value };
}

/** Index of the `:` that starts an inline value: outside brackets, after the element name. */
function valueColon(body: string): number {
  let depth = 0;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '[') depth++;
    else if (ch === ']') depth--;
    else if (ch === ':' && depth === 0) return i;
  }
  return -1;
}

function segment(body: string, raw: string): PathSegment {
  const open = body.indexOf('[');
  const name = open < 0 ? body : body.slice(0, open);
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) throw new PathError(`Path not valid - bad element name '${name}' in ${raw}`);
  const keys: Record<string, string> = {};
  let rest = open < 0 ? '' : body.slice(open);
  while (rest !== '') {
    const m = /^\[([A-Za-z0-9_-]+)=((?:[^\]\\]|\\.)*)\]/.exec(rest);
    if (m === null) throw new PathError(`Path not valid - bad key in '${body}'`);
    keys[m[1] as string] = (m[2] as string).replace(/\\(.)/g, '$1');
    rest = rest.slice(m[0].length);
  }
  return { name, keys };
}

/** Path text back from segments (for messages and commit records). */
export function formatPath(segments: readonly PathSegment[]): string {
  return `/${segments.map((s) => s.name + Object.entries(s.keys).map(([k, v]) => `[${k}=${v}]`).join('')).join('/')}`;
}
