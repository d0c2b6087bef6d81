/**
 * NETCONF message framing over a byte stream (RFC 6242): the base:1.0 end-of-message marker
 * `]]>]]>` and base:1.1 chunked framing. Pure: bytes in, whole messages (as bytes) out.
 * Messages stay bytes until they are complete, so a multi-byte UTF-8 character split across
 * two reads is decoded whole.
 */

export type Framing = 'eom' | 'chunked';

export const EOM = Buffer.from(']]>]]>', 'utf8');
/** RFC 6242 §4.2: chunk-size is 1..4294967295. */
const MAX_CHUNK_SIZE = 4_294_967_295;
const LF = 0x0a;
const HASH = 0x23;

/** The peer broke the framing rules; the session cannot be trusted after this. */
export class FramingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FramingError';
  }
}

export function encodeEom(message: string): Buffer {
  return Buffer.concat([Buffer.from(message, 'utf8'), EOM]);
}

/** One chunk per message (plus the end-of-chunks marker); the length counts bytes, not characters. */
export function encodeChunked(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  if (body.length === 0) throw new FramingError('a chunked message cannot be empty');
  return Buffer.concat([Buffer.from(`\n#${body.length}\n`, 'ascii'), body, Buffer.from('\n##\n', 'ascii')]);
}

export function encodeMessage(message: string, framing: Framing): Buffer {
  return framing === 'eom' ? encodeEom(message) : encodeChunked(message);
}

/**
 * Accumulates bytes and yields complete messages one at a time, so the caller can switch
 * framing between two messages (the hello is always EOM-framed; chunked framing starts after it)
 * without losing bytes that arrived in the same read.
 */
export class MessageReader {
  #framing: Framing = 'eom';
  #buffer: Buffer = Buffer.alloc(0);
  /** EOM: where the marker search resumes (a marker may straddle two reads). */
  #scanFrom = 0;
  /** Chunked: the parts of the message being assembled. */
  #chunks: Buffer[] = [];
  readonly #maxMessageBytes: number;
  #pendingBytes = 0;

  constructor(options: { maxMessageBytes?: number } = {}) {
    this.#maxMessageBytes = options.maxMessageBytes ?? 256 * 1024 * 1024;
  }

  get framing(): Framing {
    return this.#framing;
  }

  setFraming(framing: Framing): void {
    this.#framing = framing;
    this.#scanFrom = 0;
  }

  push(data: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? data : Buffer.concat([this.#buffer, data]);
    if (this.#buffer.length + this.#pendingBytes > this.#maxMessageBytes) {
      throw new FramingError(`a message exceeded ${this.#maxMessageBytes} bytes`);
    }
  }

  /** The next complete message, or undefined until more bytes arrive. Throws FramingError on a protocol breach. */
  next(): Buffer | undefined {
    return this.#framing === 'eom' ? this.#nextEom() : this.#nextChunked();
  }

  #nextEom(): Buffer | undefined {
    const at = this.#buffer.indexOf(EOM, this.#scanFrom);
    if (at < 0) {
      this.#scanFrom = Math.max(0, this.#buffer.length - (EOM.length - 1));
      return undefined;
    }
    const message = this.#buffer.subarray(0, at);
    this.#buffer = this.#buffer.subarray(at + EOM.length);
    this.#scanFrom = 0;
    return message;
  }

  #nextChunked(): Buffer | undefined {
    for (;;) {
      const header = this.#readChunkHeader();
      if (header === undefined) return undefined;
      if (header === 'end') {
        if (this.#chunks.length === 0) throw new FramingError('end-of-chunks marker before any chunk');
        const message = Buffer.concat(this.#chunks);
        this.#chunks = [];
        this.#pendingBytes = 0;
        return message;
      }
      const { size, headerLength } = header;
      if (this.#buffer.length < headerLength + size) return undefined;
      const chunk = this.#buffer.subarray(headerLength, headerLength + size);
      this.#chunks.push(chunk);
      this.#pendingBytes += size;
      this.#buffer = this.#buffer.subarray(headerLength + size);
    }
  }

  /** Tolerates stray blank lines between messages (e.g. after the EOM-framed hello), keeping the header's own LF. */
  #skipInterMessageWhitespace(): void {
    let skip = 0;
    while (skip + 1 < this.#buffer.length && isWhitespace(this.#buffer[skip]) && isWhitespace(this.#buffer[skip + 1])) {
      skip += 1;
    }
    if (skip > 0) this.#buffer = this.#buffer.subarray(skip);
  }

  /** Parses `\n#<size>\n` or `\n##\n` at the start of the buffer; undefined while incomplete. */
  #readChunkHeader(): { size: number; headerLength: number } | 'end' | undefined {
    if (this.#chunks.length === 0) this.#skipInterMessageWhitespace();
    const buf = this.#buffer;
    if (buf.length < 3) return undefined;
    if (buf[0] !== LF || buf[1] !== HASH) {
      throw new FramingError(`expected a chunk header, got ${JSON.stringify(buf.subarray(0, 16).toString('latin1'))}`);
    }
    if (buf[2] === HASH) {
      if (buf.length < 4) return undefined;
      if (buf[3] !== LF) throw new FramingError('malformed end-of-chunks marker');
      this.#buffer = buf.subarray(4);
      return 'end';
    }
    // At most 10 digits: 4294967295.
    let i = 2;
    let size = 0;
    while (i < buf.length && i < 13) {
      const byte = buf[i] as number;
      if (byte === LF) break;
      if (byte < 0x30 || byte > 0x39 || (i === 2 && byte === 0x30)) {
        throw new FramingError('malformed chunk size');
      }
      size = size * 10 + (byte - 0x30);
      i += 1;
    }
    if (i >= buf.length) return undefined;
    if (buf[i] !== LF || i === 2 || size > MAX_CHUNK_SIZE) throw new FramingError('malformed chunk size');
    if (size + this.#pendingBytes > this.#maxMessageBytes) {
      throw new FramingError(`a message exceeded ${this.#maxMessageBytes} bytes`);
    }
    return { size, headerLength: i + 1 };
  }
}

function isWhitespace(byte: number | undefined): boolean {
  return byte === LF || byte === 0x0d || byte === 0x20 || byte === 0x09;
}
