import { EOS } from './eos.js';
import { IOS } from './ios.js';
import { JUNOS } from './junos.js';
import { LINUX, UNKNOWN } from './linux.js';
import { SRLINUX } from './srlinux.js';
import { SROS } from './sros.js';
import { VTYSH } from './vtysh.js';
import { XR } from './xr.js';
import type { DialectSpec } from './types.js';

/**
 * Every CLI dialect the permission check knows, by id. A new dialect is one file beside these and
 * one line here; `unknown` must stay: it is what an unrecognised kind gets.
 */
export const DIALECTS = {
  junos: JUNOS,
  eos: EOS,
  ios: IOS,
  xr: XR,
  srlinux: SRLINUX,
  sros: SROS,
  linux: LINUX,
  vtysh: VTYSH,
  unknown: UNKNOWN,
} as const satisfies Readonly<Record<string, DialectSpec>>;

export type CliDialect = keyof typeof DIALECTS;

export function dialectSpec(dialect: CliDialect): DialectSpec {
  return DIALECTS[dialect];
}

export type { DialectSpec, KeywordRules, PipeArgs, PipeRules, PipeSpec, QuotingRules, QuoteChar, RefusedCommand } from './types.js';
