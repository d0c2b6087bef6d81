/**
 * One NETCONF session over an SSH `netconf` subsystem channel: hello exchange, framing choice,
 * message-id echo, rpc dispatch (one at a time, in order), faults (latency, dropped connection).
 */
import type { SubsystemSession } from '../ssh-server.js';
import { ConfigSyntaxError } from './config-tree.js';
import type { JunosDevice, SessionState } from './device.js';
import { FramingError, MessageDecoder, frameMessage, type Framing } from './framing.js';
import type { RpcContext, RpcHandler, RpcReplyBody } from './rpc-context.js';
import { RpcFailure, issuesToErrors, rpcErrorNode, type NcName, type RpcErrorSpec } from './rpc-error.js';
import { CONFIG_RPCS } from './rpcs-config.js';
import { OPER_RPCS } from './rpcs-oper.js';
import { XmlSyntaxError, escapeXml, parseXml, serializeXml, x, type XNode } from './xml.js';

const BASE_NS = 'urn:ietf:params:xml:ns:netconf:base:1.0';
const BASE_10 = 'urn:ietf:params:netconf:base:1.0';
const BASE_11 = 'urn:ietf:params:netconf:base:1.1';

const HANDLERS: Readonly<Record<string, RpcHandler>> = { ...CONFIG_RPCS, ...OPER_RPCS };

export interface SessionOptions {
  readonly chunkedFraming: boolean;
  readonly rfcCompliant: boolean;
}

function capabilities(chunked: boolean): string[] {
  return [
    BASE_10,
    ...(chunked ? [BASE_11] : []),
    'urn:ietf:params:netconf:capability:candidate:1.0',
    'urn:ietf:params:netconf:capability:confirmed-commit:1.0',
    'urn:ietf:params:netconf:capability:validate:1.0',
    'urn:ietf:params:netconf:capability:url:1.0?scheme=http,ftp,file',
    'urn:ietf:params:xml:ns:netconf:base:1.0',
    'urn:ietf:params:xml:ns:netconf:capability:candidate:1.0',
    'urn:ietf:params:xml:ns:netconf:capability:confirmed-commit:1.0',
    'urn:ietf:params:xml:ns:netconf:capability:validate:1.0',
    'urn:ietf:params:xml:ns:netconf:capability:url:1.0?protocol=http,ftp,file',
    'urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring',
    'http://xml.juniper.net/netconf/junos/1.0',
    'http://xml.juniper.net/dmi/system/1.0',
  ];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class NetconfSession {
  readonly #device: JunosDevice;
  readonly #sub: SubsystemSession;
  readonly #opts: SessionOptions;
  readonly #state: SessionState;
  readonly #decoder: MessageDecoder;
  readonly #nc: NcName;
  #framing: Framing = 'eom';
  #queue: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(device: JunosDevice, sub: SubsystemSession, opts: SessionOptions) {
    this.#device = device;
    this.#sub = sub;
    this.#opts = opts;
    this.#nc = opts.rfcCompliant ? (n) => `nc:${n}` : (n) => n;
    this.#state = device.openSession(sub.username, () => this.#terminate(true));
    this.#decoder = new MessageDecoder((m) => this.#onMessage(m));
  }

  get id(): number {
    return this.#state.id;
  }

  start(): void {
    const stream = this.#sub.stream;
    stream.on('data', (data: Buffer) => {
      if (this.#closed) return;
      try {
        this.#decoder.push(data);
      } catch (err) {
        if (err instanceof FramingError) this.#terminate(false);
        else throw err;
      }
    });
    stream.on('close', () => this.#finish());
    stream.on('end', () => this.#finish());
    stream.on('error', () => this.#finish());
    this.#writeRaw(this.#hello(), 'eom');
  }

  #hello(): string {
    const caps = capabilities(this.#opts.chunkedFraming)
      .map((c) => `    <capability>${escapeXml(c)}</capability>`)
      .join('\n');
    return [
      '<!-- No zombies were killed during the creation of this user interface -->',
      `<!-- user ${escapeXml(this.#state.user)}, class super-user -->`,
      `<hello xmlns="${BASE_NS}">`,
      '  <capabilities>',
      caps,
      '  </capabilities>',
      `  <session-id>${this.#state.id}</session-id>`,
      '</hello>',
    ].join('\n');
  }

  /** Runs synchronously inside the decoder, so a framing switch applies to the very next bytes. */
  #onMessage(message: string): void {
    let doc: XNode;
    try {
      doc = parseXml(message);
    } catch (err) {
      const detail = err instanceof XmlSyntaxError ? err.detail : String(err);
      this.#enqueue(async () =>
        this.#send(this.#reply({}, this.#errorBody([{ severity: 'error', type: 'rpc', tag: 'malformed-message', message: `malformed XML: ${detail}` }]))),
      );
      return;
    }
    if (doc.name === 'hello') {
      const caps = doc.children.find((c) => c.name === 'capabilities')?.children.map((c) => c.text.trim()) ?? [];
      if (this.#opts.chunkedFraming && caps.includes(BASE_11)) {
        this.#framing = 'chunked';
        this.#decoder.setFraming('chunked');
      }
      return;
    }
    if (doc.name !== 'rpc') {
      this.#enqueue(async () =>
        this.#send(
          this.#reply(
            {},
            this.#errorBody([{ severity: 'error', type: 'rpc', tag: 'unknown-element', message: `unexpected element <${doc.name}>`, badElement: doc.name }]),
          ),
        ),
      );
      return;
    }
    if (this.#device.faults.dropMidRpc) {
      // One-shot: the connection dies after the request arrived, before any reply.
      this.#device.faults.dropMidRpc = false;
      this.#closed = true;
      this.#sub.drop();
      this.#finish();
      return;
    }
    this.#enqueue(() => this.#handleRpc(doc));
  }

  #enqueue(task: () => Promise<void>): void {
    this.#queue = this.#queue.then(task).catch(() => this.#terminate(false));
  }

  async #handleRpc(rpc: XNode): Promise<void> {
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(rpc.attrs)) if (!k.startsWith('xmlns')) attrs[k] = v;
    const op = rpc.children[0];
    let closeAfter = false;
    const ctx: RpcContext = {
      device: this.#device,
      session: this.#state,
      nc: this.#nc,
      closeAfterReply: () => {
        closeAfter = true;
      },
    };
    let body: RpcReplyBody;
    if (op === undefined) {
      body = this.#errorBody([{ severity: 'error', type: 'rpc', tag: 'missing-element', message: 'rpc has no operation', badElement: 'rpc' }]);
    } else {
      const handler = HANDLERS[op.name];
      body =
        handler === undefined
          ? this.#errorBody([{ severity: 'error', message: 'syntax error', badElement: op.name }])
          : this.#run(handler, op, ctx);
    }
    const latency = this.#device.faults.latencyMs;
    if (latency > 0) {
      this.#device.rpcsAwaitingReply++;
      try {
        await sleep(latency);
      } finally {
        this.#device.rpcsAwaitingReply--;
      }
    }
    if (this.#device.faults.holdCommitReplies && op !== undefined && isCommit(op)) await this.#device.holdReply();
    if (this.#closed) return;
    this.#send(this.#reply(attrs, body));
    if (closeAfter) this.#terminate(false);
  }

  #run(handler: RpcHandler, op: XNode, ctx: RpcContext): RpcReplyBody {
    try {
      return handler(op, ctx);
    } catch (err) {
      if (err instanceof RpcFailure) {
        if (err.wrapper !== undefined) return { nodes: [x(err.wrapper, null, err.errors.map((e) => rpcErrorNode(e, this.#nc)))] };
        return this.#errorBody(err.errors);
      }
      if (err instanceof ConfigSyntaxError) {
        return { nodes: [x('load-configuration-results', null, issuesToErrors(err.issues).map((e) => rpcErrorNode(e, this.#nc)))] };
      }
      const message = err instanceof Error ? err.message : String(err);
      return this.#errorBody([{ severity: 'error', type: 'application', message: `internal simulator error: ${message}` }]);
    }
  }

  #errorBody(errors: readonly RpcErrorSpec[]): RpcReplyBody {
    return { nodes: errors.map((e) => rpcErrorNode(e, this.#nc)) };
  }

  #reply(attrs: Record<string, string>, body: RpcReplyBody): string {
    const nsAttrs = this.#opts.rfcCompliant ? `xmlns:nc="${BASE_NS}"` : `xmlns="${BASE_NS}"`;
    const junos = `xmlns:junos="http://xml.juniper.net/junos/${escapeXml(this.#device.version, true)}/junos"`;
    const echoed = Object.entries(attrs)
      .map(([k, v]) => ` ${k}="${escapeXml(v, true)}"`)
      .join('');
    const name = this.#nc('rpc-reply');
    const inner = 'text' in body ? escapeXml(body.text) : body.nodes.map(serializeXml).join('\n');
    return `<${name} ${nsAttrs} ${junos}${echoed}>\n${inner}${inner === '' || inner.endsWith('\n') ? '' : '\n'}</${name}>`;
  }

  #send(message: string): void {
    this.#writeRaw(message, this.#framing);
  }

  #writeRaw(message: string, framing: Framing): void {
    if (this.#closed) return;
    this.#sub.stream.write(frameMessage(message, framing));
  }

  /** Ends the session from our side: `drop` kills TCP (kill-session), else a clean SSH close. */
  #terminate(drop: boolean): void {
    if (this.#closed) return;
    this.#closed = true;
    if (drop) this.#sub.drop();
    else {
      const stream = this.#sub.stream;
      stream.exit?.(0);
      stream.end();
      this.#sub.end();
    }
    this.#finish();
  }

  #finish(): void {
    this.#closed = true;
    if (this.#device.sessions.has(this.#state)) this.#device.closeSession(this.#state);
  }
}

/** A commit that changes the running configuration (Junos XML or NETCONF; not commit check). */
function isCommit(op: XNode): boolean {
  return (op.name === 'commit-configuration' && !op.children.some((c) => c.name === 'check')) || op.name === 'commit';
}
