import { describe, expect, it } from 'vitest';
import { FramingError, MessageDecoder, frameMessage } from '../../../src/sim/junos/framing.js';

function collect(): { decoder: MessageDecoder; messages: string[] } {
  const messages: string[] = [];
  const decoder = new MessageDecoder((m) => messages.push(m));
  return { decoder, messages };
}

describe('NETCONF framing', () => {
  it('splits ]]>]]> messages even when the marker is cut across reads', () => {
    const { decoder, messages } = collect();
    decoder.push(Buffer.from('<hello/>]]>]'));
    expect(messages).toEqual([]);
    decoder.push(Buffer.from(']>\n<rpc message-id="1"/>]]>]]><rpc message-id="2"/>'));
    expect(messages).toEqual(['<hello/>', '<rpc message-id="1"/>']);
    decoder.push(Buffer.from(']]>]]>'));
    expect(messages).toHaveLength(3);
  });

  it('switches to chunks after the hello, inside the same read', () => {
    const messages: string[] = [];
    const d = new MessageDecoder((m) => {
      messages.push(m);
      if (m === '<hello/>') d.setFraming('chunked');
    });
    d.push(Buffer.from('<hello/>]]>]]>\n#4\n<rpc\n#3\n/>x\n##\n'));
    expect(messages).toEqual(['<hello/>', '<rpc/>x']);
  });

  it('counts chunk sizes in bytes, not characters', () => {
    const { decoder, messages } = collect();
    decoder.setFraming('chunked');
    const body = '<d>é€</d>';
    decoder.push(frameMessage(body, 'chunked').subarray(0, 7));
    decoder.push(frameMessage(body, 'chunked').subarray(7));
    expect(messages).toEqual([body]);
  });

  it('rejects a malformed chunk header', () => {
    const { decoder } = collect();
    decoder.setFraming('chunked');
    expect(() => decoder.push(Buffer.from('\n#x\nabc\n##\n'))).toThrow(FramingError);
    const second = collect();
    second.decoder.setFraming('chunked');
    expect(() => second.decoder.push(Buffer.from('<rpc/>\n##\n'))).toThrow(FramingError);
  });

  it('decodes the same messages however the stream is cut into reads, large ones included', () => {
    const big = `<rpc><load-configuration><configuration-text>${'interfaces { ge-0/0/1 { description "x ]]> y"; } }\n'.repeat(20_000)}</configuration-text></load-configuration></rpc>`;
    const bodies = ['<rpc message-id="1"/>', big, '<rpc message-id="3">é€</rpc>'];
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (const framing of ['eom', 'chunked'] as const) {
      const stream = Buffer.concat(bodies.map((m) => frameMessage(m, framing)));
      for (const maxRead of [1, 7, 1500, 65536]) {
        const { decoder, messages } = collect();
        decoder.setFraming(framing);
        for (let at = 0; at < stream.length; ) {
          const n = maxRead <= 7 ? maxRead : 1 + rand(maxRead);
          decoder.push(stream.subarray(at, at + n));
          at += n;
          if (maxRead === 1 && at > 5000 && at < stream.length - 5000) {
            // one byte at a time through the small messages, then the rest of the big one in one go
            decoder.push(stream.subarray(at, stream.length - 5000));
            at = stream.length - 5000;
          }
        }
        expect(messages, `${framing}, reads up to ${maxRead} bytes`).toEqual(bodies);
      }
    }
  });

  it('frames replies with nothing after the end-of-message marker', () => {
    expect(frameMessage('<ok/>', 'eom').toString()).toBe('<ok/>\n]]>]]>');
    expect(frameMessage('<ok/>', 'chunked').toString()).toBe('\n#5\n<ok/>\n##\n');
  });
});
