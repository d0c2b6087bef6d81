/**
 * SSH host keys of lab nodes, recorded on first use per node (`lab/node`, not per address:
 * containerlab reuses management addresses across labs) and checked on every later connection.
 * The file holds one `lab/node key-type base64` line per node, like a small known_hosts.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname } from 'node:path';

/**
 * record: trust on first use, refuse a changed key (the default). pinned: only keys already in the
 * file (or given in settings) are accepted. accept: any key, nothing recorded (throwaway labs).
 */
export type HostKeyPolicy = 'record' | 'pinned' | 'accept';
export const HOST_KEY_POLICIES: readonly HostKeyPolicy[] = ['record', 'pinned', 'accept'];

export interface HostKey {
  readonly type: string;
  /** base64 of the key blob, as in an OpenSSH .pub file. */
  readonly base64: string;
}

/** The key type and base64 of a raw SSH public key blob (what ssh2's hostVerifier receives). */
export function hostKeyFromBlob(blob: Buffer): HostKey {
  const length = blob.length >= 4 ? blob.readUInt32BE(0) : 0;
  const type = length > 0 && length < 64 && blob.length >= 4 + length ? blob.subarray(4, 4 + length).toString('latin1') : 'unknown';
  return { type, base64: blob.toString('base64') };
}

/** `ssh-ed25519 AAAA...` → HostKey (an OpenSSH public key line; a comment after it is ignored). */
export function parseHostKeyLine(line: string): HostKey | undefined {
  const [type, base64] = line.trim().split(/\s+/);
  if (type === undefined || base64 === undefined || !/^[A-Za-z0-9+/]+=*$/.test(base64)) return undefined;
  return { type, base64 };
}

/** OpenSSH's fingerprint form, SHA256:..., for messages. */
export function fingerprint(key: HostKey): string {
  return `SHA256:${createHash('sha256').update(Buffer.from(key.base64, 'base64')).digest('base64').replace(/=+$/, '')}`;
}

export type HostKeyVerdict = { readonly ok: true; readonly recorded: boolean } | { readonly ok: false; readonly reason: string };

export class KnownHosts {
  readonly file: string;

  constructor(file: string) {
    this.file = file;
  }

  /** The key recorded for `lab/node`, if any. */
  lookup(nodeKey: string): HostKey | undefined {
    if (!existsSync(this.file)) return undefined;
    let found: HostKey | undefined;
    for (const line of readFileSync(this.file, 'utf8').split('\n')) {
      const [name, ...rest] = line.trim().split(/\s+/);
      if (name === nodeKey) found = parseHostKeyLine(rest.join(' ')) ?? found;
    }
    return found;
  }

  /**
   * Checks the key a node presented. `pinned` keys from settings win over the file. A first key is
   * recorded under `record`; a different key is refused, with the way to accept a redeployed node.
   * `section` is where the node's SSH settings live in clab-bot.yaml (`linux`), for the messages.
   */
  check(nodeKey: string, presented: HostKey, policy: HostKeyPolicy, section: string, pinned?: HostKey): HostKeyVerdict {
    if (policy === 'accept') return { ok: true, recorded: false };
    const known = pinned ?? this.lookup(nodeKey);
    const lab = nodeKey.includes('/') ? nodeKey.slice(0, nodeKey.indexOf('/')) : '<lab>';
    if (known === undefined) {
      if (policy === 'pinned') {
        return {
          ok: false,
          reason: `${nodeKey} presented SSH host key ${presented.type} ${fingerprint(presented)}, which is not pinned: add it to ${this.file} as "${nodeKey} ${presented.type} ${presented.base64}" or pin it in clab-bot.yaml (${section}.nodes.${nodeKey}.host_key)`,
        };
      }
      try {
        mkdirSync(dirname(this.file), { recursive: true });
        appendFileSync(this.file, `${nodeKey} ${presented.type} ${presented.base64}\n`, { mode: 0o600 });
      } catch (err) {
        // Refused rather than trusted unrecorded: the next connection could not tell a changed key.
        const code = (err as NodeJS.ErrnoException).code ?? String(err);
        return { ok: false, reason: `cannot record the SSH host key of ${nodeKey} in ${this.file} (${code}): set ${section}.known_hosts in clab-bot.yaml to a file the bot can write` };
      }
      return { ok: true, recorded: true };
    }
    if (known.type === presented.type && known.base64 === presented.base64) return { ok: true, recorded: false };
    const changed = `the SSH host key of ${nodeKey} changed (known ${known.type} ${fingerprint(known)}, now ${presented.type} ${fingerprint(presented)}): refusing to connect`;
    const fix =
      pinned === undefined
        ? `If the lab was redeployed, remove the line for ${nodeKey} from ${this.file}`
        : `If the lab was redeployed, pin the new key in clab-bot.yaml (${section}.nodes.${nodeKey}.host_key: "${presented.type} ${presented.base64}")`;
    return { ok: false, reason: `${changed}. ${fix}; for throwaway labs set ${section}.labs.${lab}.host_keys: accept` };
  }
}
