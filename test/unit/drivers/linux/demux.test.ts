import { describe, expect, it } from 'vitest';
import { DockerStreamDemuxer } from '../../../../src/drivers/linux/demux.js';

const frame = (type: number, text: string) => {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};

describe('Docker exec stream demultiplexing', () => {
  it('separates stdout and stderr frames, whatever the chunking', () => {
    const stream = Buffer.concat([frame(1, 'hello '), frame(2, 'oops\n'), frame(1, 'world\n')]);
    for (const size of [1, 3, 8, 9, stream.length]) {
      const demux = new DockerStreamDemuxer();
      for (let i = 0; i < stream.length; i += size) demux.push(stream.subarray(i, i + size));
      expect(demux.stdout()).toBe('hello world\n');
      expect(demux.stderr()).toBe('oops\n');
      expect(demux.truncated).toBe(false);
    }
  });

  it('says when the stream stopped inside a frame', () => {
    const demux = new DockerStreamDemuxer();
    demux.push(frame(1, 'abcdef').subarray(0, 10));
    expect(demux.truncated).toBe(true);
    expect(demux.stdout()).toBe('');
  });
});
