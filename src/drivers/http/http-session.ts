import type { CallOptions } from '../contract.js';
import { ConnectionLostError, type DriverErrorContext } from '../errors.js';
import { JsonRpcClient, type JsonRpcClientOptions } from './json-rpc-client.js';

/**
 * What an HTTP driver (EOS eAPI, SR Linux JSON-RPC) keeps between calls: one client, connected
 * once however many callers open at the same time, and configuration work run one at a time.
 */
export class HttpSession {
  readonly #connect: (opts: CallOptions) => Promise<JsonRpcClient>;
  #client: JsonRpcClient | undefined;
  #opening: Promise<void> | undefined;
  #configQueue: Promise<unknown> = Promise.resolve();

  /** connect makes a client and proves it works (see connectClient). */
  constructor(connect: (opts: CallOptions) => Promise<JsonRpcClient>) {
    this.#connect = connect;
  }

  /** Connects unless connected; callers arriving while it connects share the one attempt. */
  async open(opts: CallOptions = {}): Promise<void> {
    if (this.#client !== undefined) return;
    this.#opening ??= this.#connect(opts)
      .then((client) => {
        this.#client = client;
      })
      .finally(() => {
        this.#opening = undefined;
      });
    return this.#opening;
  }

  isOpen(): boolean {
    return this.#client !== undefined;
  }

  /** The connected client; ConnectionLostError (nothing sent) when the driver is not open. */
  client(ctx: DriverErrorContext): JsonRpcClient {
    if (this.#client === undefined) throw new ConnectionLostError(ctx, 'the driver is not open: call open() first', { requestSent: false });
    return this.#client;
  }

  close(): void {
    const client = this.#client;
    this.#client = undefined;
    client?.close();
  }

  /** Runs body after the configuration work queued before it, whether that succeeded or not. */
  serial<T>(body: () => Promise<T>): Promise<T> {
    const result = this.#configQueue.then(body, body);
    this.#configQueue = result.catch(() => undefined);
    return result;
  }
}

/** A client for options once probe succeeds on it (HTTP has no session: one cheap request proves address, TLS and login). */
export async function connectClient(options: JsonRpcClientOptions, probe: (client: JsonRpcClient) => Promise<void>): Promise<JsonRpcClient> {
  const client = new JsonRpcClient(options);
  try {
    await probe(client);
  } catch (err) {
    client.close();
    throw err;
  }
  return client;
}
