/**
 * Docker's multiplexed exec stream (no TTY): frames of an 8-byte header — stream type (1 stdout,
 * 2 stderr), three zero bytes, a big-endian uint32 length — then that many bytes. Frames may arrive
 * split across chunks in any way; this keeps the partial frame between pushes.
 */
export class DockerStreamDemuxer {
  #pending: Buffer = Buffer.alloc(0);
  readonly #stdout: Buffer[] = [];
  readonly #stderr: Buffer[] = [];
  #bytes = 0;

  /** Appends a chunk; returns the total payload bytes seen so far (for output limits). */
  push(chunk: Buffer): number {
    let buf = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    while (buf.length >= 8) {
      const size = buf.readUInt32BE(4);
      if (buf.length < 8 + size) break;
      const payload = buf.subarray(8, 8 + size);
      // Type 0 (stdin echo) does not occur without a TTY; anything but stderr counts as output.
      (buf[0] === 2 ? this.#stderr : this.#stdout).push(Buffer.from(payload));
      this.#bytes += size;
      buf = buf.subarray(8 + size);
    }
    this.#pending = Buffer.from(buf);
    return this.#bytes;
  }

  /** Bytes left that do not form a whole frame (a stream cut short). */
  get truncated(): boolean {
    return this.#pending.length > 0;
  }

  stdout(): string {
    return Buffer.concat(this.#stdout).toString('utf8');
  }

  stderr(): string {
    return Buffer.concat(this.#stderr).toString('utf8');
  }
}
