import type { CallOptions } from '../contract.js';
import { methodDeadline, type Deadline, type MethodTimeouts } from '../deadline.js';
import type { DriverErrorContext } from '../errors.js';
import type { LabNode } from '../../inventory/types.js';
import type { JsonRpcClient } from './json-rpc-client.js';
import { HttpSession } from './http-session.js';

/**
 * What the HTTP drivers (EOS eAPI, SR Linux JSON-RPC) share: the node, the method budgets, and
 * one HttpSession opened on demand; each driver says only how to connect and prove the login.
 */
export abstract class HttpDriver {
  readonly node: LabNode;
  protected readonly timeouts: MethodTimeouts;
  /** The client, and configuration work one at a time per driver. */
  protected readonly session = new HttpSession((opts) => this.connect(opts));

  protected constructor(node: LabNode, defaults: MethodTimeouts, timeouts: Partial<MethodTimeouts> | undefined) {
    this.node = node;
    this.timeouts = { ...defaults, ...timeouts };
  }

  async open(opts: CallOptions = {}): Promise<void> {
    return this.session.open(opts);
  }

  isAlive(): boolean {
    return this.session.isOpen();
  }

  async close(): Promise<void> {
    this.session.close();
  }

  /** A client for this node that has answered one request (see connectClient). */
  protected abstract connect(opts: CallOptions): Promise<JsonRpcClient>;

  protected deadline(opts: CallOptions, kind: keyof MethodTimeouts): Deadline {
    return methodDeadline(opts, this.timeouts, kind);
  }

  protected ctx(operation: string): DriverErrorContext {
    return { node: this.node.name, operation };
  }
}
