/**
 * What the IOS-XR and IOS drivers share: one CLI channel per node (channel.ts), exec of operational
 * commands with the platform's failure strings turned into RejectedError, facts from `show
 * version`, the running configuration, and typing configuration lines where their indentation
 * says (checking the prompt after each). Each platform adds its own way to plan and commit.
 */
import type {
  ApplyOptions,
  ApplyResult,
  CallOptions,
  ConfigMethod,
  NodeSource,
  Driver,
  DriverCapabilities,
  DriverTraits,
  ExecResult,
  Facts,
  OutputFormat,
  Plan,
} from '../contract.js';
import { Deadline, methodDeadline, type MethodTimeouts } from '../deadline.js';
import { ConnectionLostError, RejectedError, UnsupportedError, type DriverErrorContext } from '../errors.js';
import type { LabNode } from '../../inventory/types.js';
import { CliChannel, type CliAnswer } from './channel.js';
import type { ConfigLine } from './config-input.js';
import type { CliPlatform } from './platform.js';

export const DEFAULT_CLI_TIMEOUTS: MethodTimeouts = { open: 20_000, exec: 60_000, plan: 120_000, apply: 300_000, read: 60_000 };

export interface SshCliDriverOptions {
  readonly timeouts?: Partial<MethodTimeouts>;
  /** The enable secret for IOS logins that land unprivileged; default the login password. */
  readonly enableSecret?: string;
}

/** The device's error lines in `output` (a failure line and the lines after it), or [] when none. */
export function failureLines(platform: CliPlatform, output: string): string[] {
  const lines = output.split('\n');
  const at = lines.findIndex((l) => platform.failures.some((re) => re.test(l.trim())));
  if (at < 0) return [];
  return lines.slice(at).map((l) => l.trim()).filter((l) => l !== '');
}

export abstract class CiscoCliDriver implements Driver {
  readonly node: LabNode;
  abstract readonly capabilities: DriverCapabilities;
  abstract readonly traits: DriverTraits;
  protected readonly platform: CliPlatform;
  protected readonly timeouts: MethodTimeouts;
  readonly #options: SshCliDriverOptions;
  #channel: CliChannel | undefined;
  #opening: Promise<void> | undefined;
  /** Configuration work runs one call at a time per driver. */
  #configQueue: Promise<unknown> = Promise.resolve();

  constructor(node: LabNode, platform: CliPlatform, options: SshCliDriverOptions = {}) {
    this.node = node;
    this.platform = platform;
    this.#options = options;
    this.timeouts = { ...DEFAULT_CLI_TIMEOUTS, ...options.timeouts };
  }

  async open(opts: CallOptions = {}): Promise<void> {
    if (this.#channel?.alive === true) return;
    this.#opening ??= this.#connect(opts).finally(() => {
      this.#opening = undefined;
    });
    return this.#opening;
  }

  isAlive(): boolean {
    return this.#channel?.alive === true;
  }

  async exec(command: string, opts: CallOptions & { format?: OutputFormat } = {}): Promise<ExecResult> {
    const ctx = this.ctx('exec');
    if (opts.format !== undefined && opts.format !== 'text') throw new UnsupportedError(ctx, `${opts.format} output (the CLI answers in text)`);
    const deadline = this.deadline(opts, 'exec');
    const started = performance.now();
    const output = await this.serial(() => this.run(command.trim(), ctx, deadline));
    return {
      output: output.endsWith('\n') || output === '' ? output : `${output}\n`,
      format: 'text',
      warnings: [],
      durationMs: Math.round(performance.now() - started),
    };
  }

  async runningConfig(opts: CallOptions = {}): Promise<string> {
    const deadline = this.deadline(opts, 'read');
    const output = await this.serial(() => this.run('show running-config', this.ctx('running config'), deadline));
    return `${output.replace(/^Building configuration\.\.\.\n/, '')}\n`;
  }

  abstract facts(opts?: CallOptions): Promise<Facts>;
  abstract plan(source: NodeSource, method: ConfigMethod, opts?: CallOptions): Promise<Plan>;
  abstract apply(source: NodeSource, opts: ApplyOptions): Promise<ApplyResult>;
  abstract confirm(opts?: CallOptions & { comment?: string }): Promise<void>;
  abstract rollback(index: number, opts?: CallOptions & { comment?: string }): Promise<ApplyResult>;

  undoLastCommit(opts: CallOptions & { comment?: string } = {}): Promise<ApplyResult> {
    return this.rollback(1, opts);
  }

  async close(): Promise<void> {
    const channel = this.#channel;
    this.#channel = undefined;
    channel?.close();
  }

  /** Runs one command; the platform's failure strings make it a RejectedError with the device's words. */
  protected async run(command: string, ctx: DriverErrorContext, deadline: Deadline, answers?: readonly CliAnswer[]): Promise<string> {
    if (command === '' || /[\r\n]/.test(command) || /[\u0000-\u001f\u007f]/.test(command)) {
      throw new UnsupportedError(ctx, 'a command that is empty, spans lines or holds control characters');
    }
    const output = await this.raw(command, ctx, deadline, answers);
    const failed = failureLines(this.platform, output);
    if (failed.length > 0) throw new RejectedError(ctx, [`\`${command}\`: ${failed.join(' ')}`]);
    return output;
  }

  /** Runs one command and returns its output whatever it says. */
  protected async raw(command: string, ctx: DriverErrorContext, deadline: Deadline, answers?: readonly CliAnswer[]): Promise<string> {
    const budget = deadline.rpc(ctx);
    const channel = this.#channel;
    if (channel === undefined || !channel.alive) throw new ConnectionLostError(ctx, 'the driver is not open: call open() first', { requestSent: false });
    return channel.send(command, { ...budget, ...(answers === undefined ? {} : { answers }) });
  }

  /** The prompt after the last command. */
  protected get prompt(): string {
    return this.#channel?.prompt ?? '';
  }

  /**
   * Types `lines` in configuration mode. Indentation is turned into the device's own navigation:
   * after a line that opens a section the prompt must change (else the lines under it would land
   * elsewhere: refused), and `exit` closes each section the indentation closes.
   */
  protected async typeLines(lines: readonly ConfigLine[], ctx: DriverErrorContext, deadline: Deadline): Promise<void> {
    const prompts: string[] = [this.prompt];
    for (const line of lines) {
      while (prompts.length > line.depth + 1) {
        await this.run('exit', ctx, deadline);
        prompts.pop();
        if (this.prompt !== prompts[prompts.length - 1]) {
          throw new RejectedError(ctx, [`after line ${line.number - 1} the device left the configuration section the text was in (prompt ${this.prompt})`]);
        }
      }
      await this.run(line.text, ctx, deadline);
      if (!/\(config[\w.-]*\)#$/.test(this.prompt)) {
        throw new RejectedError(ctx, [`line ${line.number} (\`${line.text}\`) left configuration mode (prompt ${this.prompt})`]);
      }
      if (line.opens) {
        if (this.prompt === prompts[prompts.length - 1]) {
          throw new RejectedError(ctx, [
            `line ${line.number} (\`${line.text}\`) does not open a configuration section on the device, so the indented lines under it cannot go there`,
          ]);
        }
        prompts.push(this.prompt);
      }
    }
  }

  /**
   * Runs a call's commands one call at a time: the one CLI session has one mode, so an exec must
   * never land between the lines of a configuration (the device would read it as one).
   */
  protected serial<T>(body: () => Promise<T>): Promise<T> {
    const result = this.#configQueue.then(body, body);
    this.#configQueue = result.catch(() => undefined);
    return result;
  }

  protected deadline(opts: CallOptions, kind: keyof MethodTimeouts): Deadline {
    return methodDeadline(opts, this.timeouts, kind);
  }

  protected ctx(operation: string): DriverErrorContext {
    return { node: this.node.name, operation };
  }

  /** Throws away the channel (its state on the device is unknown) so the next call opens a fresh one. */
  protected discardChannel(): void {
    this.#channel?.close();
    this.#channel = undefined;
  }

  async #connect(opts: CallOptions): Promise<void> {
    const { host, port, credentials, name } = this.node;
    this.#channel = await CliChannel.open({
      label: name,
      host,
      port: port ?? 22,
      username: credentials.username,
      password: credentials.password,
      ...(this.#options.enableSecret === undefined ? {} : { secret: this.#options.enableSecret }),
      platform: this.platform,
      timeoutMs: opts.timeoutMs ?? this.timeouts.open,
      ...(opts.signal === undefined ? {} : { signal: opts.signal }),
    });
  }
}

/** A config comment as the CLI takes it: printable ASCII without quotes, at most 60 characters. */
export function cliComment(comment: string | undefined): string {
  return (comment ?? '').replace(/[^A-Za-z0-9 #.,:;_@/()+=-]/g, '_').replace(/\s+/g, ' ').trim().slice(0, 60);
}
