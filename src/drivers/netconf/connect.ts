import { NetconfSession, type SessionOptions } from './session.js';
import { openSshNetconfChannel, type SshTransportOptions } from './ssh-transport.js';

export type NetconfConnectOptions = SshTransportOptions & Omit<SessionOptions, 'onClosed' | 'signal'>;

/**
 * NETCONF over SSH: opens the `netconf` subsystem, exchanges hellos, and ties the SSH
 * connection's life to the session's (when the session ends for any reason, SSH is closed).
 */
export async function connectNetconf(options: NetconfConnectOptions): Promise<NetconfSession> {
  const channel = await openSshNetconfChannel(options);
  try {
    return await NetconfSession.start(channel.stream, {
      ...options,
      onClosed: () => channel.end(),
    });
  } catch (err) {
    channel.end();
    throw err;
  }
}
