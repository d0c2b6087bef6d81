/** Which containerlab file a given path holds, by its content (the name only breaks ties for empty or broken files). */
import { basename } from 'node:path';

import { parseYamlText } from './yaml-text.js';

export type SourceKind = 'topology-data' | 'inspect' | 'clab-yml' | 'nornir';

const NORNIR_KEYS = new Set(['username', 'password', 'platform', 'hostname', 'groups', 'port', 'data', 'connection_options']);

function byName(file: string): SourceKind | undefined {
  const name = basename(file);
  if (name.includes('topology-data')) return 'topology-data';
  if (name.startsWith('nornir-simple-inventory')) return 'nornir';
  if (/\.clab\.ya?ml$/.test(name)) return 'clab-yml';
  if (name.endsWith('.json')) return 'inspect';
  return undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

export function detectSource(text: string, file: string): SourceKind | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return byName(file);
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      // Truncated or broken JSON (maybe mid-write): let the reader the name suggests report it.
      return byName(file) ?? 'inspect';
    }
    if (isObject(json) && isObject(json['nodes']) && (json['type'] === 'clab' || typeof json['name'] === 'string')) {
      return 'topology-data';
    }
    return 'inspect';
  }
  if (/^topology\s*:/m.test(text)) return 'clab-yml';
  const yaml = parseYamlText(text);
  if (!yaml.ok) return byName(file);
  if (isObject(yaml.value)) {
    const hosts = Object.values(yaml.value);
    if (hosts.length > 0 && hosts.every((h) => h === null || (isObject(h) && Object.keys(h).every((k) => NORNIR_KEYS.has(k))))) {
      return 'nornir';
    }
  }
  return undefined;
}
