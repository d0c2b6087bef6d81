/** What an RPC handler gets and returns (session.ts calls handlers; rpcs-*.ts implement them). */
import type { JunosDevice, SessionState } from './device.js';
import type { NcName } from './rpc-error.js';
import type { XNode } from './xml.js';

export interface RpcContext {
  readonly device: JunosDevice;
  readonly session: SessionState;
  /** NETCONF element name (`ok`, or `nc:ok` with rfc-compliant). */
  readonly nc: NcName;
  /** Ends the NETCONF session once this reply is sent. */
  closeAfterReply(): void;
}

/** Children of `<rpc-reply>`, or bare text inside it (JSON output, some Junos errors). */
export type RpcReplyBody = { readonly nodes: readonly XNode[] } | { readonly text: string };

export type RpcHandler = (request: XNode, ctx: RpcContext) => RpcReplyBody;

export const EMPTY: RpcReplyBody = { nodes: [] };
