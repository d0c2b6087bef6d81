import { describe, expect, it } from 'vitest';
import { encodeChunked, encodeEom, FramingError, MessageReader } from '../../../../src/drivers/netconf/framing.js';

/** Feeds `bytes` to a reader in pieces of the given sizes (cycled) and collects every message. */
function readAll(reader: MessageReader, bytes: Buffer, sizes: readonly number[]): string[] {
  const out: string[] = [];
  let offset = 0;
  let i = 0;
  while (offset < bytes.length) {
    const size = sizes[i % sizes.length] ?? 1;
    reader.push(bytes.subarray(offset, offset + size));
    offset += size;
    i += 1;
    for (let m = reader.next(); m !== undefined; m = reader.next()) out.push(m.toString('utf8'));
  }
  return out;
}

describe('end-of-message framing (base:1.0)', () => {
  it('splits messages on ]]>]]> and keeps the bytes in between intact', () => {
    const reader = new MessageReader();
    const bytes = Buffer.concat([encodeEom('<a/>'), encodeEom('\n<b>x</b>\n')]);
    expect(readAll(reader, bytes, [bytes.length])).toEqual(['<a/>', '\n<b>x</b>\n']);
  });

  it('finds a marker split across reads at every possible position', () => {
    const bytes = encodeEom('<rpc-reply><ok/></rpc-reply>');
    for (let cut = 1; cut < bytes.length; cut += 1) {
      const reader = new MessageReader();
      reader.push(bytes.subarray(0, cut));
      const first = reader.next();
      reader.push(bytes.subarray(cut));
      const second = first ?? reader.next();
      expect(second?.toString('utf8')).toBe('<rpc-reply><ok/></rpc-reply>');
      expect(reader.next()).toBeUndefined();
    }
  });

  it('delivers byte-by-byte input, including multi-byte UTF-8 split between reads', () => {
    const text = '<output>héllo → 世界 😀</output>';
    const bytes = Buffer.concat([encodeEom(text), encodeEom('<x/>')]);
    expect(readAll(new MessageReader(), bytes, [1])).toEqual([text, '<x/>']);
    expect(readAll(new MessageReader(), bytes, [2, 3, 5])).toEqual([text, '<x/>']);
  });

  it('does not end a message on a partial marker such as ]]>]]', () => {
    const reader = new MessageReader();
    reader.push(Buffer.from('<a>]]>]]</a>'));
    expect(reader.next()).toBeUndefined();
    reader.push(Buffer.from(']]>]]>'));
    expect(reader.next()?.toString()).toBe('<a>]]>]]</a>');
  });

  it('holds an incomplete message until its marker arrives', () => {
    const reader = new MessageReader();
    reader.push(Buffer.from('<rpc-reply>'));
    expect(reader.next()).toBeUndefined();
    reader.push(Buffer.from('</rpc-reply>]]>]]>'));
    expect(reader.next()?.toString()).toBe('<rpc-reply></rpc-reply>');
  });
});

describe('chunked framing (base:1.1)', () => {
  it('encodes the length in bytes, not characters', () => {
    const encoded = encodeChunked('é😀');
    expect(encoded.toString('utf8')).toBe('\n#6\né😀\n##\n');
  });

  it('round-trips messages fed in every chunk size, including split headers and UTF-8', () => {
    const messages = ['<rpc-reply message-id="1"><ok/></rpc-reply>', '<output>ünïcödé ]]>]]> 世界</output>', 'x'];
    const bytes = Buffer.concat(messages.map((m) => encodeChunked(m)));
    for (const size of [1, 2, 3, 7, 13, bytes.length]) {
      const reader = new MessageReader();
      reader.setFraming('chunked');
      expect(readAll(reader, bytes, [size])).toEqual(messages);
    }
  });

  it('joins a message sent as several chunks', () => {
    const reader = new MessageReader();
    reader.setFraming('chunked');
    reader.push(Buffer.from('\n#4\n<rpc\n#18\n-reply><ok/></rpc-\n#6\nreply>\n##\n'));
    expect(reader.next()?.toString()).toBe('<rpc-reply><ok/></rpc-reply>');
    expect(reader.next()).toBeUndefined();
  });

  it('keeps bytes that arrived with the EOM-framed hello for the chunked message after it', () => {
    const reader = new MessageReader();
    reader.push(Buffer.concat([encodeEom('<hello/>'), Buffer.from('\n'), encodeChunked('<rpc-reply/>')]));
    expect(reader.next()?.toString()).toBe('<hello/>');
    reader.setFraming('chunked');
    expect(reader.next()?.toString()).toBe('<rpc-reply/>');
  });

  it.each([
    ['a missing header', 'garbage'],
    ['a zero size', '\n#0\n'],
    ['a leading zero', '\n#01\nx'],
    ['a non-digit size', '\n#1a\n'],
    ['a size beyond 4294967295', '\n#4294967296\n'],
    ['an end marker before any chunk', '\n##\n'],
    ['a malformed end marker', '\n#3\nabc\n##x'],
  ])('rejects %s', (_name, input) => {
    const reader = new MessageReader();
    reader.setFraming('chunked');
    reader.push(Buffer.from(input));
    expect(() => {
      for (let i = 0; i < 5; i += 1) reader.next();
    }).toThrow(FramingError);
  });

  it('refuses a message larger than the configured bound', () => {
    const reader = new MessageReader({ maxMessageBytes: 10 });
    reader.setFraming('chunked');
    reader.push(Buffer.from('\n#20\n'));
    expect(() => reader.next()).toThrow(FramingError);
  });
});
