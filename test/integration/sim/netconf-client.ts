/**
 * A deliberately small NETCONF client for the simulator tests, written independently of the
 * simulator's framing code: ssh2 `netconf` subsystem, `]]>]]>` or RFC 6242 chunks, raw strings.
 */
import { Client, type ClientChannel } from 'ssh2';
import { parseXml } from '../../../src/sim/junos/xml.js';

/** The text a `<command format="text">` reply carries (`<output>` or `<configuration-output>`), entities decoded. */
export function replyText(reply: string): string {
  const root = parseXml(reply);
  const output = root.children.find((c) => c.name === 'output');
  if (output !== undefined) return output.text;
  const info = root.children.find((c) => c.name === 'configuration-information');
  return info?.children.find((c) => c.name === 'configuration-output')?.text ?? root.text;
}

export interface RawNetconf {
  /** The server hello as received (comments and all). */
  readonly serverHello: string;
  /** Every byte received after the hello, for framing assertions. */
  readonly rawAfterHello: () => Buffer;
  /** Sends one message with the session's framing (`chunks` splits it into several chunks). */
  send(xml: string, opts?: { chunks?: number }): void;
  /** Next complete message. Rejects on timeout or when the connection ends first. */
  next(timeoutMs?: number): Promise<string>;
  /** Sends an rpc and returns its reply. */
  rpc(body: string, messageId?: string): Promise<string>;
  /** Resolves when the channel or connection closes. */
  readonly closed: Promise<void>;
  close(): void;
}

export const CLIENT_HELLO_10 =
  '<?xml version="1.0" encoding="UTF-8"?>\n<!-- test client -->\n<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability></capabilities></hello>';
export const CLIENT_HELLO_11 =
  '<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability><capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>';

export interface ConnectOptions {
  readonly host: string;
  readonly port: number;
  readonly username?: string;
  readonly password?: string;
  /** Client hello to send; default base:1.0 only. */
  readonly hello?: string;
}

/** Opens an SSH connection and the netconf subsystem; rejects with the ssh2 error (e.g. authentication). */
export function connectNetconf(opts: ConnectOptions): Promise<RawNetconf> {
  const hello = opts.hello ?? CLIENT_HELLO_10;
  const chunked = hello.includes('urn:ietf:params:netconf:base:1.1');
  return new Promise((resolve, reject) => {
    const conn = new Client();
    let buf = Buffer.alloc(0);
    let raw = Buffer.alloc(0);
    let serverHello: string | undefined;
    let useChunks = false;
    const messages: string[] = [];
    const waiters: { resolve: (m: string) => void; reject: (e: Error) => void }[] = [];
    let ended = false;
    let resolveClosed: () => void = () => undefined;
    const closed = new Promise<void>((r) => {
      resolveClosed = r;
    });
    const finish = (): void => {
      if (ended) return;
      ended = true;
      resolveClosed();
      for (const w of waiters.splice(0)) w.reject(new Error('connection closed'));
    };
    const deliver = (m: string): void => {
      const w = waiters.shift();
      if (w) w.resolve(m);
      else messages.push(m);
    };
    const parse = (): void => {
      for (;;) {
        if (serverHello === undefined || !useChunks) {
          const at = buf.indexOf(']]>]]>');
          if (at < 0) return;
          const m = buf.subarray(0, at).toString('utf8').trim();
          buf = buf.subarray(at + 6);
          if (serverHello === undefined) {
            serverHello = m;
            useChunks = chunked && m.includes('urn:ietf:params:netconf:base:1.1');
            raw = Buffer.from(buf);
            continue;
          }
          deliver(m);
          continue;
        }
        // Chunked: \n#len\n…\n##\n
        let pos = 0;
        const parts: Buffer[] = [];
        for (;;) {
          const head = buf.subarray(pos).toString('latin1').match(/^\n#(\d+|#)\n/);
          if (!head) return;
          if (head[1] === '#') {
            pos += head[0].length;
            buf = buf.subarray(pos);
            deliver(Buffer.concat(parts).toString('utf8'));
            break;
          }
          const len = Number(head[1]);
          const start = pos + head[0].length;
          if (buf.length < start + len) return;
          parts.push(buf.subarray(start, start + len));
          pos = start + len;
        }
      }
    };
    conn.on('ready', () => {
      conn.subsys('netconf', (err: Error | undefined, stream: ClientChannel) => {
        if (err) {
          reject(err);
          conn.end();
          return;
        }
        stream.on('data', (d: Buffer) => {
          if (serverHello !== undefined) raw = Buffer.concat([raw, d]);
          buf = Buffer.concat([buf, d]);
          parse();
          if (serverHello !== undefined && !started) {
            started = true;
            stream.write(`${hello}]]>]]>`);
            resolve(api(stream));
          }
        });
        stream.on('close', finish);
      });
    });
    let started = false;
    conn.on('error', (err) => {
      if (!started) reject(err);
      finish();
    });
    conn.on('close', finish);
    const api = (stream: ClientChannel): RawNetconf => {
      let id = 100;
      const self: RawNetconf = {
        serverHello: serverHello as string,
        rawAfterHello: () => raw,
        send(xml, o = {}) {
          if (!useChunks) {
            stream.write(`${xml}]]>]]>`);
            return;
          }
          const body = Buffer.from(xml, 'utf8');
          const n = Math.max(1, Math.min(o.chunks ?? 1, body.length));
          const size = Math.ceil(body.length / n);
          for (let i = 0; i < body.length; i += size) {
            const part = body.subarray(i, i + size);
            stream.write(Buffer.concat([Buffer.from(`\n#${part.length}\n`), part]));
          }
          stream.write('\n##\n');
        },
        next(timeoutMs = 5000) {
          const m = messages.shift();
          if (m !== undefined) return Promise.resolve(m);
          if (ended) return Promise.reject(new Error('connection closed'));
          return new Promise((res, rej) => {
            const timer = setTimeout(() => rej(new Error(`no NETCONF message within ${timeoutMs} ms`)), timeoutMs);
            waiters.push({
              resolve: (msg) => {
                clearTimeout(timer);
                res(msg);
              },
              reject: (e) => {
                clearTimeout(timer);
                rej(e);
              },
            });
          });
        },
        async rpc(body, messageId) {
          const mid = messageId ?? String(++id);
          self.send(`<rpc message-id="${mid}" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">${body}</rpc>`);
          return self.next();
        },
        closed,
        close() {
          conn.end();
        },
      };
      return self;
    };
    conn.connect({
      host: opts.host,
      port: opts.port,
      username: opts.username ?? 'admin',
      password: opts.password ?? 'admin@123',
      readyTimeout: 5000,
      hostVerifier: () => true,
    });
  });
}
