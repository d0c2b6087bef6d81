import { EOS_SECRETS } from './eos.js';
import { IOS_SECRETS } from './ios.js';
import { JUNOS_SECRETS } from './junos.js';
import { SRLINUX_SECRETS } from './srlinux.js';
import { XR_SECRETS } from './xr.js';
import type { DialectSecrets } from './types.js';

export type { DialectSecrets, SecretField } from './types.js';

/**
 * Every dialect's secret-bearing fields. All of them apply to every text: an output's dialect is
 * not known everywhere it is redacted (logs, audit rows), and hiding a word too many is the safe
 * way to be wrong. A new vendor adds its table (e.g. `srlinux.ts`, `eos.ts`, `ios.ts`, `xr.ts`, `frr.ts`
 * beside junos.ts) and one entry here; docs/writing-a-driver.md says how.
 */
export const DIALECT_SECRETS: readonly DialectSecrets[] = [JUNOS_SECRETS, EOS_SECRETS, IOS_SECRETS, XR_SECRETS, SRLINUX_SECRETS];
