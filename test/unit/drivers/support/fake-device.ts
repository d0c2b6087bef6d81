import { EventEmitter } from 'node:events';
import { encodeChunked, encodeEom, MessageReader, type Framing } from '../../../../src/drivers/netconf/framing.js';
import type { ByteStream } from '../../../../src/drivers/netconf/session.js';

export const BASE_1_0 = 'urn:ietf:params:netconf:base:1.0';
export const BASE_1_1 = 'urn:ietf:params:netconf:base:1.1';

/**
 * What the fake answers to one RPC: the reply's inner XML; a whole recorded reply re-stamped with
 * the request's message-id; a raw document sent as is; silence; or hanging up.
 */
export type Answer =
  | string
  | { readonly reply: string }
  | { readonly raw: string }
  | { readonly silent: true }
  | { readonly hangUp: true };

export interface ReceivedRpc {
  readonly id: string | undefined;
  /** The RPC's inner XML, exactly as the client sent it. */
  readonly body: string;
  /** The whole message as received. */
  readonly message: string;
}

export interface FakeDeviceOptions {
  /** Server capabilities; base:1.1 in here (and in the client's) selects chunked framing. */
  readonly capabilities?: readonly string[];
  /** Raw text sent before `<hello>` (comments, declaration, BOM). */
  readonly helloPrefix?: string;
  /** Replace the whole hello document; null sends no hello at all. */
  readonly hello?: string | null;
  /** Bytes of each outgoing message are split into pieces of this size (exercises reassembly). */
  readonly writeChunkBytes?: number;
  /** Called for each RPC; default answers `<ok/>`. */
  readonly answer?: (rpc: ReceivedRpc) => Answer;
}

/**
 * A NETCONF server in memory: the client side is a ByteStream for NetconfSession; the device
 * side decodes the client's framing, records every RPC and answers through `answer`.
 * Answers are delivered asynchronously, as a network would.
 */
export class FakeDevice {
  readonly stream: FakeStream;
  readonly received: ReceivedRpc[] = [];
  clientHello: string | undefined;
  #framing: Framing = 'eom';
  readonly #reader = new MessageReader();
  readonly #options: FakeDeviceOptions;
  answer: (rpc: ReceivedRpc) => Answer;

  constructor(options: FakeDeviceOptions = {}) {
    this.#options = options;
    this.answer = options.answer ?? (() => '<ok/>');
    this.stream = new FakeStream((data) => this.#fromClient(data));
    const capabilities = options.capabilities ?? [BASE_1_0];
    const hello =
      options.hello !== undefined
        ? options.hello
        : `${options.helloPrefix ?? ''}<hello xmlns="${BASE_1_0}"><capabilities>${capabilities
        .map((c) => `<capability>${c}</capability>`)
        .join('')}</capabilities><session-id>4242</session-id></hello>`;
    if (hello !== null) setImmediate(() => this.sendRaw(encodeEom(hello)));
  }

  get framing(): Framing {
    return this.#framing;
  }

  /** Sends bytes to the client as they are, optionally in small pieces. */
  sendRaw(bytes: Buffer): void {
    if (this.stream.destroyed) return;
    const size = this.#options.writeChunkBytes ?? bytes.length;
    for (let offset = 0; offset < bytes.length; offset += size) {
      this.stream.emit('data', bytes.subarray(offset, offset + size));
    }
  }

  /** Frames and sends one document in the negotiated framing. */
  sendMessage(document: string): void {
    this.sendRaw(this.#framing === 'eom' ? encodeEom(document) : encodeChunked(document));
  }

  /** The peer goes away: the client's stream closes. */
  hangUp(): void {
    this.stream.remoteClose();
  }

  #fromClient(data: Buffer): void {
    this.#reader.push(data);
    for (let message = this.#reader.next(); message !== undefined; message = this.#reader.next()) {
      const text = message.toString('utf8');
      if (this.clientHello === undefined) {
        this.clientHello = text;
        const both = text.includes(BASE_1_1) && (this.#options.capabilities ?? []).includes(BASE_1_1);
        this.#framing = both ? 'chunked' : 'eom';
        this.#reader.setFraming(this.#framing);
        continue;
      }
      const id = /message-id="([^"]*)"/.exec(text)?.[1];
      const body = /^<rpc\b[^>]*>([\s\S]*)<\/rpc>$/.exec(text)?.[1] ?? text;
      const rpc = { id, body, message: text };
      this.received.push(rpc);
      const answer = this.answer(rpc);
      setImmediate(() => this.#reply(rpc, answer));
    }
  }

  #reply(rpc: ReceivedRpc, answer: Answer): void {
    if (typeof answer === 'string') {
      const idAttr = rpc.id === undefined ? '' : ` message-id="${rpc.id}"`;
      this.sendMessage(`<rpc-reply xmlns="${BASE_1_0}"${idAttr}>${answer}</rpc-reply>`);
    } else if ('reply' in answer) {
      this.sendMessage(restamp(answer.reply, rpc.id));
    } else if ('raw' in answer) {
      this.sendMessage(answer.raw);
    } else if ('hangUp' in answer) {
      this.hangUp();
    }
  }
}

/** The client's end of the pipe. */
export class FakeStream extends EventEmitter implements ByteStream {
  readonly written: Buffer[] = [];
  ended = false;
  destroyed = false;
  readonly #toDevice: (data: Buffer) => void;

  constructor(toDevice: (data: Buffer) => void) {
    super();
    this.#toDevice = toDevice;
  }

  write(data: Buffer): boolean {
    if (this.destroyed) throw new Error('write after destroy');
    this.written.push(data);
    this.#toDevice(data);
    return true;
  }

  end(): void {
    this.ended = true;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    setImmediate(() => this.emit('close'));
  }

  remoteClose(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('end');
    this.emit('close');
  }

  /** Everything the client wrote, as text. */
  writtenText(): string {
    return Buffer.concat(this.written).toString('utf8');
  }
}

/** Gives a recorded rpc-reply the message-id of the request it now answers. */
export function restamp(document: string, id: string | undefined): string {
  const withoutId = document.replace(/(<(?:[\w.-]+:)?rpc-reply\b[^>]*?)\s+message-id="[^"]*"/, '$1');
  return id === undefined ? withoutId : withoutId.replace(/<((?:[\w.-]+:)?rpc-reply)\b/, `<$1 message-id="${id}"`);
}
