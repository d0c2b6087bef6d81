/**
 * The interactive side of a simulated Cisco CLI on one SSH shell: reads typed lines (typeahead is
 * queued as a real vty buffers it), echoes each line when the CLI takes it, writes the answer with
 * CRLF line ends, pages long answers with ` --More-- ` until `terminal length 0`, asks questions
 * (`[confirm]`, `(yes/no/cancel)`), then prints the prompt. Faults: latency before each answer, a
 * dropped connection on a matching command.
 */
import type { Duplex } from 'node:stream';

export interface CliReply {
  /** Output lines joined with `\n` ('' for none); the terminal adds CRLFs. */
  readonly text: string;
  /** A question to ask after the text: the next typed line goes to `answer`. */
  readonly question?: { readonly prompt: string; answer(line: string): CliReply };
  /** Close the shell after the text (`exit` at the top). */
  readonly close?: boolean;
}

/** What the terminal needs from the CLI model behind it. */
export interface CliShell {
  prompt(): string;
  run(line: string): CliReply;
  /** The terminal length (0 = no paging) and width the session set. */
  readonly screen: { length: number; width: number };
}

export interface TerminalFaults {
  readonly latencyMs: number;
  /** The next command matching this destroys the connection (after the CLI acted on it). */
  readonly dropOnCommand: RegExp | null;
}

export interface TerminalOptions {
  readonly stream: Duplex;
  readonly shell: CliShell;
  readonly faults: () => TerminalFaults;
  /** Clears a one-shot drop fault once it fired. */
  readonly dropped: () => void;
  /** Destroys the TCP connection at once. */
  readonly drop: () => void;
  /** Text before the first prompt. */
  readonly banner?: string;
  readonly onClose?: () => void;
}

const MORE = ' --More-- ';
/** Erases ` --More-- ` the way IOS does: backspaces over it. */
const ERASE_MORE = `${'\b'.repeat(MORE.length)}${' '.repeat(MORE.length)}${'\b'.repeat(MORE.length)}`;

/** Runs the CLI on `stream` until the client closes it or the shell asks to close. */
export function runTerminal(o: TerminalOptions): void {
  const { stream, shell } = o;
  let buffer = '';
  let lastWasCr = false;
  const lines: string[] = [];
  let busy = false;
  let closed = false;
  let paging: { rest: string[] } | undefined;
  let question: CliReply['question'];
  let released = false;
  const release = (): void => {
    closed = true;
    if (released) return;
    released = true;
    o.onClose?.();
  };

  const write = (text: string): void => {
    if (!closed) stream.write(text);
  };
  const crlf = (text: string): string => text.replace(/\r?\n/g, '\r\n');

  const finish = (): void => {
    if (question !== undefined) write(question.prompt);
    else write(shell.prompt());
  };

  const emitPaged = (text: string): void => {
    const all = text === '' ? [] : text.split('\n');
    const page = shell.screen.length > 0 ? Math.max(1, shell.screen.length - 1) : Infinity;
    if (all.length <= page) {
      if (all.length > 0) write(crlf(`${all.join('\n')}\n`));
      finish();
      return;
    }
    write(crlf(`${all.slice(0, page).join('\n')}\n`));
    write(MORE);
    paging = { rest: all.slice(page) };
  };

  const onPagingKey = (key: string): void => {
    if (paging === undefined) return;
    write(ERASE_MORE);
    if (key === 'q' || key === 'Q' || key === '\u0003') {
      paging = undefined;
      finish();
      return;
    }
    const page = key === '\r' || key === '\n' ? 1 : Math.max(1, shell.screen.length - 1);
    const next = paging.rest.slice(0, page);
    paging.rest = paging.rest.slice(page);
    write(crlf(`${next.join('\n')}\n`));
    if (paging.rest.length === 0) {
      paging = undefined;
      finish();
    } else {
      write(MORE);
    }
  };

  const pump = (): void => {
    if (busy || closed || paging !== undefined) return;
    const line = lines.shift();
    if (line === undefined) return;
    busy = true;
    const faults = o.faults();
    const act = (): void => {
      busy = false;
      if (closed) return;
      write(`${line}\r\n`);
      let reply: CliReply;
      const asked = question;
      question = undefined;
      try {
        reply = asked !== undefined ? asked.answer(line) : shell.run(line);
      } catch (err) {
        reply = { text: `% Internal error: ${err instanceof Error ? err.message : String(err)}` };
      }
      if (faults.dropOnCommand !== null && faults.dropOnCommand.test(line)) {
        o.dropped();
        release();
        o.drop();
        return;
      }
      question = reply.question;
      if (reply.close === true) {
        if (reply.text !== '') write(crlf(`${reply.text}\n`));
        release();
        stream.end();
        return;
      }
      emitPaged(reply.text);
      pump();
    };
    if (faults.latencyMs > 0) setTimeout(act, faults.latencyMs);
    else act();
  };

  stream.on('data', (chunk: Buffer) => {
    for (const ch of chunk.toString('utf8')) {
      if (paging !== undefined) {
        onPagingKey(ch);
        continue;
      }
      if (ch === '\n' && lastWasCr) {
        lastWasCr = false;
        continue;
      }
      lastWasCr = ch === '\r';
      if (ch === '\r' || ch === '\n') {
        lines.push(buffer);
        buffer = '';
      } else if (ch === '\u0003' || ch === '\u001a') {
        // Ctrl-C / Ctrl-Z: back to exec mode, as `end` does.
        lines.push(ch === '\u001a' ? 'end' : '');
        buffer = '';
      } else if (ch === '\b' || ch === '\u007f') {
        buffer = buffer.slice(0, -1);
      } else if (ch >= ' ' || ch === '\t') {
        buffer += ch;
      }
    }
    pump();
  });
  stream.on('close', release);
  stream.on('end', release);
  stream.on('error', release);

  write(crlf(o.banner ?? '\n'));
  write(shell.prompt());
}
