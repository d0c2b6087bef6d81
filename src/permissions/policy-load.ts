import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type * as z from 'zod';
import { PolicyError, type PolicyProblem } from './policy-error.js';
import {
  PolicySchema,
  UNKNOWN_KEY,
  policyWarnings,
  referenceProblems,
  type Policy,
  type PolicyDocument,
} from './policy-schema.js';

type Path = readonly PropertyKey[];

/** Reads and validates a policy file. Throws PolicyError listing every problem with its line. */
export function loadPolicy(path: string): Policy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? 'file not found; set policy: in clab-bot.yaml or CLAB_BOT_POLICY to an existing file'
        : `cannot be read (${code ?? (err instanceof Error ? err.message : String(err))})`;
    throw new PolicyError(path, [{ line: 0, column: 0, path: '', message }], { cause: err });
  }
  return parsePolicy(text, path);
}

/** Validates policy YAML. `fileName` is only used in messages. Throws PolicyError. */
export function parsePolicy(yamlText: string, fileName: string): Policy {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): { line: number; column: number } => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };

  if (doc.errors.length > 0) {
    throw new PolicyError(
      fileName,
      doc.errors.map((e) => ({ ...at(e.pos[0]), path: '', message: firstLine(e.message) })),
    );
  }
  if (doc.contents === null) {
    throw new PolicyError(fileName, [{ line: 1, column: 1, path: '', message: 'the file is empty; a policy needs roles: and grants:' }]);
  }

  const raw: unknown = doc.toJS({ maxAliasCount: 100 });
  const parsed = PolicySchema.safeParse(raw);
  const problems: PolicyProblem[] = [];
  if (!parsed.success) problems.push(...parsed.error.issues.flatMap((issue) => issueProblems(doc, raw, issue, at)));
  for (const p of referenceProblems(raw)) {
    problems.push({ ...at(locate(doc, p.path).offset), path: formatPath(p.path), message: p.message });
  }
  if (!parsed.success || problems.length > 0) {
    throw new PolicyError(fileName, sortProblems(problems));
  }
  const grantLines = parsed.data.grants.map((_, i) => at(locate(doc, ['grants', i]).offset).line);
  return finishPolicy(parsed.data, { file: fileName, grantLines });
}

/**
 * Validates a policy given as a plain object (code and tests that do not start from YAML).
 * Problems carry no line numbers.
 */
export function policyFromObject(value: unknown, name = 'policy'): Policy {
  const parsed = PolicySchema.safeParse(value);
  const problems: PolicyProblem[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push({ line: 0, column: 0, path: formatPath(issue.path), message: issue.message });
    }
  }
  for (const p of referenceProblems(value)) problems.push({ line: 0, column: 0, path: formatPath(p.path), message: p.message });
  if (!parsed.success || problems.length > 0) throw new PolicyError(name, problems);
  return finishPolicy(parsed.data, undefined);
}

function finishPolicy(document: PolicyDocument, source: Policy['source']): Policy {
  const policy: Policy = { ...document, ...(source === undefined ? {} : { source }), warnings: policyWarnings(document) };
  return deepFreeze(policy);
}

function issueProblems(
  doc: Document,
  raw: unknown,
  issue: z.core.$ZodIssue,
  at: (offset: number) => { line: number; column: number },
): PolicyProblem[] {
  if (issue.code === 'unrecognized_keys') {
    // One problem per key, each pointing at the key itself.
    return issue.keys.map((key) => ({
      ...at(locate(doc, [...issue.path, key], true).offset),
      path: formatPath([...issue.path, key]),
      message: issue.message.startsWith(UNKNOWN_KEY)
        ? `${UNKNOWN_KEY} \`${key}\`${issue.message.slice(UNKNOWN_KEY.length)}`
        : issue.message,
    }));
  }
  const key = issue.path[issue.path.length - 1];
  const missing = issue.code === 'invalid_type' && typeof key === 'string' && valueAt(raw, issue.path) === undefined;
  const message = missing ? `\`${String(key)}\` is missing: ${issue.message}` : issue.message;
  return [{ ...at(locate(doc, issue.path).offset), path: formatPath(issue.path), message }];
}

/**
 * The source offset of a document path: the value's node, or the key when `atKey` or when the value
 * is empty, or the nearest existing ancestor when the path is missing (a required key left out).
 */
function locate(doc: Document, path: Path, atKey = false): { offset: number } {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const [i, step] of path.entries()) {
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(step));
      if (pair === undefined) return { offset };
      const keyStart = rangeStart(pair.key);
      const valueStart = rangeStart(pair.value);
      if (last && atKey) return { offset: keyStart ?? offset };
      offset = valueStart ?? keyStart ?? offset;
      if (valueStart === undefined) return { offset };
      node = pair.value;
    } else if (isSeq(node) && typeof step === 'number') {
      const item = node.items[step];
      const start = rangeStart(item);
      if (start === undefined) return { offset };
      offset = start;
      node = item;
    } else {
      return { offset };
    }
  }
  return { offset };
}

function valueAt(raw: unknown, path: Path): unknown {
  let value = raw;
  for (const step of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, step)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[step];
  }
  return value;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range === undefined || range === null ? undefined : range[0];
}

function formatPath(path: Path): string {
  return path
    .map((step, i) => (typeof step === 'number' ? `[${step}]` : `${i === 0 ? '' : '.'}${String(step)}`))
    .join('');
}

function sortProblems(problems: readonly PolicyProblem[]): PolicyProblem[] {
  return [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
