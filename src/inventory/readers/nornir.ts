/**
 * `clab-<lab>/nornir-simple-inventory.yml` (containerlab ≥0.67): the credentials containerlab
 * resolved per node (topology credentials, else the kind default), keyed by short node name.
 * Kinds without a default render empty `username:`/`password:`, which mean "not known".
 */
import * as z from 'zod';

import type { DeclaredCredentials } from '../draft.js';
import { fileWarning, readText, type ReaderWarning } from '../warnings.js';
import { parseYamlText } from '../yaml-text.js';
import { firstIssue } from '../zod-field.js';

export interface NornirHost {
  readonly credentials: DeclaredCredentials;
  readonly hostname: string | undefined;
  readonly platform: string | undefined;
}

export interface NornirResult {
  readonly hosts: ReadonlyMap<string, NornirHost>;
  readonly warnings: readonly ReaderWarning[];
}

const str = z.string().nullable().optional();
const hostSchema = z.object({ username: str, password: str, platform: str, hostname: str }).nullable();
const fileSchema = z.record(z.string(), hostSchema);

const set = (value: string | null | undefined): string | undefined => (value === undefined || value === null || value === '' ? undefined : value);

export function parseNornirInventory(text: string, file: string): NornirResult {
  const fail = (cause: 'empty' | 'malformed', reason: string, field?: string): NornirResult =>
    ({ hosts: new Map(), warnings: [fileWarning(file, cause, reason, field)] });
  if (text.replace(/^---\s*$/m, '').trim() === '') {
    return fail('empty', 'empty: containerlab fills it at the end of a deploy; credentials fall back to kind defaults and settings');
  }
  const yaml = parseYamlText(text);
  if (!yaml.ok) return fail('malformed', yaml.reason);
  const parsed = fileSchema.safeParse(yaml.value);
  if (!parsed.success) {
    const { field, reason } = firstIssue(parsed.error);
    return fail('malformed', reason, field);
  }
  const hosts = new Map<string, NornirHost>();
  for (const [name, host] of Object.entries(parsed.data)) {
    const username = set(host?.username);
    const password = set(host?.password);
    hosts.set(name, {
      credentials: { ...(username === undefined ? {} : { username }), ...(password === undefined ? {} : { password }) },
      hostname: set(host?.hostname),
      platform: set(host?.platform),
    });
  }
  return { hosts, warnings: [] };
}

export async function readNornirInventory(file: string): Promise<NornirResult> {
  const read = await readText(file);
  if (!read.ok) return { hosts: new Map(), warnings: read.missing ? [] : [read.warning] };
  return parseNornirInventory(read.text, file);
}
