import type { ClientChannel } from 'ssh2';
import { CancelledError, UnreachableError } from '../errors.js';
import { connectSsh, type SshConnectOptions } from '../ssh/connect.js';
import type { ByteStream } from './session.js';

export { translateSshError } from '../ssh/connect.js';

export const NETCONF_PORT = 830;

const DEFAULT_SUBSYSTEM_HINT = 'enable NETCONF over SSH on the device (Junos: `system services netconf ssh`)';

export type SshTransportOptions = Omit<SshConnectOptions, 'port'> & {
  readonly port?: number;
  /** What to tell the user when the device refuses the `netconf` subsystem (the vendor's enabling command). */
  readonly subsystemHint?: string;
};

/** An open `netconf` subsystem channel and the SSH connection under it. */
export interface SshNetconfChannel {
  readonly stream: ByteStream;
  /** Ends the SSH connection (idempotent). */
  end(): void;
}

/** Opens SSH (drivers/ssh/connect.ts) and starts the `netconf` subsystem on it. */
export async function openSshNetconfChannel(options: SshTransportOptions): Promise<SshNetconfChannel> {
  const connection = await connectSsh({ ...options, port: options.port ?? NETCONF_PORT }, 'NETCONF');
  const ctx = { node: options.label, operation: 'open' };
  return new Promise<SshNetconfChannel>((resolve, reject) => {
    if (options.signal?.aborted) {
      connection.end();
      reject(new CancelledError(ctx));
      return;
    }
    connection.client.subsys('netconf', (err, channel: ClientChannel) => {
      if (err) {
        connection.end();
        const hint = options.subsystemHint ?? DEFAULT_SUBSYSTEM_HINT;
        reject(new UnreachableError(ctx, `${connection.where} refused the netconf SSH subsystem (${err.message}): ${hint}`));
        return;
      }
      resolve({ stream: channel, end: connection.end });
    });
  });
}
