/**
 * Secret references in settings: `env:VAR` (an environment variable), `file:PATH` (a file's content,
 * one trailing newline dropped; relative to `baseDir`), anything else is the literal value.
 * Errors name the settings key and the variable or path, never the secret.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { SettingsError } from '../errors.js';

export interface SecretRefOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Settings key for error messages (`credentials.nodes.r1.password`). */
  readonly key: string;
  /** Directory `file:` paths are relative to (the settings file's); default the working directory. */
  readonly baseDir?: string;
}

export function isSecretRef(value: string): boolean {
  return value.startsWith('env:') || value.startsWith('file:');
}

export function resolveSecretRef(value: string, options: SecretRefOptions): string {
  if (value.startsWith('env:')) {
    const name = value.slice('env:'.length);
    if (name === '') throw new SettingsError(options.key, '`env:` needs a variable name, e.g. env:LAB_PASSWORD');
    const resolved = options.env[name];
    if (resolved === undefined) throw new SettingsError(options.key, `environment variable ${name} is not set`);
    return resolved;
  }
  if (value.startsWith('file:')) {
    const path = value.slice('file:'.length);
    if (path === '') throw new SettingsError(options.key, '`file:` needs a path, e.g. file:/run/secrets/lab-password');
    const full = resolve(options.baseDir ?? process.cwd(), path);
    let content: string;
    try {
      content = readFileSync(full, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      throw new SettingsError(options.key, `cannot read secret file ${full} (${code})`);
    }
    return content.replace(/\r?\n$/, '');
  }
  return value;
}
