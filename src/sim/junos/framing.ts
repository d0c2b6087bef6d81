/**
 * NETCONF message framing, server side: `]]>]]>` end-of-message (RFC 4742, base:1.0) and
 * RFC 6242 chunks (base:1.1). The hello is always end-of-message framed; the session switches
 * to chunks after it when both sides advertised base:1.1.
 */

export type Framing = 'eom' | 'chunked';

const EOM = Buffer.from(']]>]]>');

/** The peer broke the chunk grammar: the session cannot continue. */
export class FramingError extends Error {
  constructor(detail: string) {
    super(`NETCONF framing error: ${detail}`);
    this.name = 'FramingError';
  }
}

/**
 * Splits a byte stream into messages. `onMessage` runs synchronously for each message, so it may
 * call setFraming() (after the hello) before the next bytes are looked at.
 */
export class MessageDecoder {
  /** Unconsumed bytes, joined. */
  #buf: Buffer = Buffer.alloc(0);
  /** Bytes received since, not joined yet: a 2 MB request arrives in many reads and is joined once. */
  #tail: Buffer[] = [];
  #tailLength = 0;
  /** The last few bytes received, to find a `]]>]]>` cut across reads without joining. */
  #recent: Buffer = Buffer.alloc(0);
  /** Chunked framing: unconsumed bytes needed before the chunk being received is complete. */
  #need = 0;
  #framing: Framing = 'eom';
  #chunks: Buffer[] = [];

  constructor(private readonly onMessage: (message: string) => void) {}

  setFraming(framing: Framing): void {
    this.#framing = framing;
  }

  get framing(): Framing {
    return this.#framing;
  }

  /** Feeds bytes; throws FramingError on a malformed chunk header. */
  push(data: Buffer): void {
    this.#tail.push(data);
    this.#tailLength += data.length;
    const window = this.#recent.length === 0 ? data : Buffer.concat([this.#recent, data]);
    this.#recent = Buffer.from(window.subarray(Math.max(0, window.length - EOM.length)));
    const worthLooking = this.#framing === 'eom' ? window.includes(EOM) : this.#buf.length + this.#tailLength >= this.#need;
    if (!worthLooking) return;
    this.#buf = Buffer.concat([this.#buf, ...this.#tail]);
    this.#tail = [];
    this.#tailLength = 0;
    this.#need = 0;
    for (;;) {
      const message = this.#framing === 'eom' ? this.#nextEom() : this.#nextChunked();
      if (message === undefined) return;
      if (message.trim() !== '') this.onMessage(message.trim());
    }
  }

  #nextEom(): string | undefined {
    const at = this.#buf.indexOf(EOM);
    if (at < 0) return undefined;
    const message = this.#buf.subarray(0, at).toString('utf8');
    this.#buf = this.#buf.subarray(at + EOM.length);
    return message;
  }

  #nextChunked(): string | undefined {
    for (;;) {
      // Tolerate whitespace between messages (some clients send a newline after `##`).
      let start = 0;
      while (start < this.#buf.length && (this.#buf[start] === 0x0a || this.#buf[start] === 0x0d || this.#buf[start] === 0x20)) {
        if (this.#buf[start] === 0x0a && this.#buf[start + 1] === 0x23) break;
        start++;
      }
      const b = this.#buf.subarray(start);
      if (b.length < 4) return undefined;
      if (b[0] !== 0x0a || b[1] !== 0x23) throw new FramingError(`expected "\\n#", got ${JSON.stringify(b.subarray(0, 8).toString('latin1'))}`);
      if (b[2] === 0x23) {
        if (b[3] !== 0x0a) throw new FramingError('end-of-chunks marker must be "\\n##\\n"');
        this.#buf = b.subarray(4);
        const message = Buffer.concat(this.#chunks).toString('utf8');
        this.#chunks = [];
        return message;
      }
      const nl = b.indexOf(0x0a, 2);
      if (nl < 0) {
        if (b.length > 14) throw new FramingError('chunk size too long');
        return undefined;
      }
      const digits = b.subarray(2, nl).toString('latin1');
      if (!/^[1-9][0-9]{0,9}$/.test(digits) || Number(digits) > 4294967295) throw new FramingError(`bad chunk size ${JSON.stringify(digits)}`);
      const size = Number(digits);
      if (b.length < nl + 1 + size) {
        this.#need = start + nl + 1 + size;
        return undefined;
      }
      this.#chunks.push(Buffer.from(b.subarray(nl + 1, nl + 1 + size)));
      this.#buf = b.subarray(nl + 1 + size);
    }
  }
}

/**
 * Frames one outgoing message. Nothing follows `]]>]]>`: a stray newline there would sit in front
 * of the first chunk header once the session switches to chunked framing.
 */
export function frameMessage(message: string, framing: Framing): Buffer {
  const body = Buffer.from(message, 'utf8');
  if (framing === 'eom') return Buffer.concat([body, Buffer.from('\n]]>]]>')]);
  return Buffer.concat([Buffer.from(`\n#${body.length}\n`), body, Buffer.from('\n##\n')]);
}
