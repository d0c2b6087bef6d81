import { FIELD_INDEX, hasInOrder, type FieldIndex } from './fields.js';
import { REDACTED, isRedacted } from './known-values.js';

/** Called with each secret value found (quotes removed), for value masking. */
export type Found = (value: string) => void;

/** A word, a quoted string, a comment, or one of Junos's punctuation marks. */
const TOKEN = /&lt;redacted&gt;|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|##.*$|\/\*.*?\*\/|[{};]|[^\s{};"']+/g;

/** Words between a keyword and its value: key id, hash algorithm, encryption type. */
const TYPE_WORD = /^(?:\d{1,3}|sha256|sha512|md5|hmac-md5|encrypted|clear|cleartext|plaintext|unencrypted|hidden|password|level)$/;

/** Keywords that stand where a value would: IOS-XR `password inheritance-disable`, `lsp-password keychain K`. */
const NOT_A_VALUE: ReadonlySet<string> = new Set(['inheritance-disable', 'keychain', 'key-chain']);

interface Word {
  readonly text: string;
  readonly at: number;
}

/** A line outside any brace block that may open an indented block (IOS `tacacs server X`). */
interface IndentedLine {
  readonly indent: number;
  readonly line: string;
  /** Its words, split when a line below first needs them (most blocks hold no secret). */
  words?: readonly string[];
}

/** Width of the indentation, a leading diff marker (`+`, `-`, `>` before a space) counting as a column. */
function leadWidth(line: string): number {
  let i = 0;
  while (i < line.length && (line.charCodeAt(i) === 0x20 || line.charCodeAt(i) === 0x09)) i++;
  const c = line.charCodeAt(i);
  if ((c === 0x2b || c === 0x2d || c === 0x3e) && (line.charCodeAt(i + 1) === 0x20 || line.charCodeAt(i + 1) === 0x09)) {
    i++;
    while (i < line.length && (line.charCodeAt(i) === 0x20 || line.charCodeAt(i) === 0x09)) i++;
  }
  return i;
}

/**
 * The structure layer for configuration text, curly-brace or set form, and `show | compare` diffs:
 * tracks the enclosing blocks (`snmp { community X {`) and `[edit …]` headers across lines, so a
 * field of the dialect tables (dialects/) is found with its context, and replaces its value.
 * Outside braces, blocks nest by indentation as in Cisco configurations (`tacacs server ISE` /
 * ` key 7 …`), in unified diffs too: a leading `+`, `-` or `>` marker counts as a column.
 * One scanner per text; feed it the lines in order.
 */
export class ConfigTextScanner {
  readonly #fields: FieldIndex;
  /** Words of each open block, outermost first; the `[edit …]` header's words are the first entry. */
  #stack: string[][] = [];
  /** A diff's `[edit …]` header is in force: it stays the first stack entry. */
  #headerSeen = false;
  /** Open indentation blocks outside braces, outermost first. */
  #indented: IndentedLine[] = [];

  constructor(fields: FieldIndex = FIELD_INDEX) {
    this.#fields = fields;
  }

  /** Redacts one line; `lines`/`index` let it look ahead (a `community X {` block shown without its `snmp` parent). */
  line(line: string, lines: readonly string[], index: number, found?: Found): string {
    const parents = this.#indent(line);
    // Neither a block edge nor a field name: nothing to find, and the brace context does not change.
    if (!this.#fields.mentionedIn(line) && !/[{}]|\[edit/.test(line)) return line;
    const marker = /^\s*[+\-!>](?=\s)/.exec(line);
    const offset = marker ? marker[0].length : 0;
    const body = line.slice(offset);
    const header = /^\s*\[edit(?:\s+([^\]]*))?\]\s*$/.exec(body);
    const edits: { at: number; len: number; value: string }[] = [];
    if (header) {
      const words = wordsOf(header[1] ?? '', body.indexOf('[edit') + 5);
      this.#match(words, [], edits);
      this.#stack = [words.map((w) => w.text)];
      this.#headerSeen = true;
      return apply(line, offset, edits, found);
    }
    let statement: Word[] = [];
    TOKEN.lastIndex = 0;
    for (let m = TOKEN.exec(body); m !== null; m = TOKEN.exec(body)) {
      const t = m[0];
      if (t.startsWith('##') || t.startsWith('/*')) continue;
      if (t === ';') {
        this.#match(statement, this.#context(), edits);
        statement = [];
      } else if (t === '{') {
        const context = this.#context();
        // `community X {` at the top of a `show configuration snmp`: SNMP-only statements inside say it is SNMP's.
        const snmp = context.length === 0 && statement[0]?.text === 'community' && looksLikeSnmpBlock(lines, index) ? ['snmp'] : [];
        this.#match(statement, [...snmp, ...context], edits);
        this.#stack.push([...snmp, ...statement.map((w) => w.text)]);
        statement = [];
      } else if (t === '}') {
        if (statement.length > 0) this.#match(statement, this.#context(), edits);
        statement = [];
        // The header entry stays: a diff's `}` closes blocks below it.
        if (this.#stack.length > (this.#headerSeen ? 1 : 0)) this.#stack.pop();
      } else statement.push({ text: t, at: m.index });
    }
    if (statement.length > 0) this.#match(statement, parents === undefined ? this.#context() : () => this.#parents(parents), edits);
    return apply(line, offset, edits, found);
  }

  /**
   * Follows indentation outside braces: closes the blocks this line's indent ends and opens one
   * for it. Returns how many blocks enclose it (their words are #parents), or undefined inside
   * braces, whose context #stack holds. `!` lines only close blocks (IOS separators, IOS-XR block ends).
   */
  #indent(line: string): number | undefined {
    // Junos statements end in `;`, a Slack-escaped `&lt;redacted&gt;` does not.
    if (this.#stack.length > 0 || line.includes('{') || line.includes('}') || (line.includes(';') && /;/.test(line.replace(/&(?:lt|gt|amp);/g, '')))) {
      this.#indented.length = 0;
      return undefined;
    }
    const lead = leadWidth(line);
    if (lead === line.length) return undefined;
    const stack = this.#indented;
    while (stack.length > 0 && stack[stack.length - 1]!.indent >= lead) stack.pop();
    const depth = stack.length;
    if (line.charCodeAt(lead) !== 0x21 /* ! */) stack.push({ indent: lead, line });
    return depth;
  }

  /** The words of the first `depth` indentation blocks. */
  #parents(depth: number): string[] {
    const out: string[] = [];
    for (let i = 0; i < depth; i++) {
      const b = this.#indented[i]!;
      b.words ??= b.line.slice(b.indent).split(/\s+/);
      out.push(...b.words);
    }
    return out;
  }

  #context(): string[] {
    return this.#stack.flat();
  }

  /**
   * Finds field values in one statement's words; `enclosing` gives the enclosing blocks' words,
   * asked for only when a word is a field's name (most statements hold none).
   */
  #match(words: readonly Word[], enclosing: readonly string[] | (() => readonly string[]), edits: { at: number; len: number; value: string }[]): void {
    if (words.length < 2) return;
    let context: readonly string[] | undefined;
    let names: readonly string[] = [];
    for (let i = 0; i + 1 < words.length; i++) {
      const word = words[i]!.text;
      const fields = this.#fields.for(word);
      if (fields.length === 0) continue;
      if (context === undefined) {
        context = typeof enclosing === 'function' ? enclosing() : enclosing;
        names = [...context, ...words.map((w) => w.text)];
      }
      if (!fields.some((f) => hasInOrder(f.above, names, context!.length + i))) continue;
      // Key ids and encryption types stand between some keywords and their value (`secret 5 $1$…`, `authentication-key 1 md5 …`).
      let v = i + 1;
      while (v + 1 < words.length && TYPE_WORD.test(words[v]!.text)) v++;
      const value = words[v]!;
      if (NOT_A_VALUE.has(value.text) || isRedacted(value.text.replace(/^(["'])(.*)\1$/, '$2'))) continue;
      if (!edits.some((e) => e.at === value.at)) edits.push({ at: value.at, len: value.text.length, value: value.text });
    }
  }
}

function wordsOf(text: string, base: number): Word[] {
  const out: Word[] = [];
  const re = /"(?:[^"\\]|\\.)*"|\S+/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push({ text: m[0], at: base + m.index });
  return out;
}

function apply(line: string, offset: number, edits: { at: number; len: number; value: string }[], found?: Found): string {
  if (edits.length === 0) return line;
  edits.sort((a, b) => b.at - a.at);
  let out = line;
  for (const e of edits) {
    const at = offset + e.at;
    const quote = e.value[0] === '"' || e.value[0] === "'" ? e.value[0] : '';
    found?.(quote ? e.value.slice(1, -1).replace(/\\(.)/g, '$1') : e.value);
    out = out.slice(0, at) + (quote ? `${quote}${REDACTED}${quote}` : REDACTED) + out.slice(at + e.len);
  }
  return out;
}

const SNMP_COMMUNITY_BODY = /^\s*[+\-!>]?\s*(?:authorization|clients|client-list-name|view|routing-instance|logical-system)\b/;

/** Looks at most 40 lines into a `community X {` block for statements only SNMP communities have. */
function looksLikeSnmpBlock(lines: readonly string[], start: number): boolean {
  let depth = 0;
  const end = Math.min(lines.length, start + 40);
  for (let i = start; i < end; i++) {
    const body = lines[i] ?? '';
    if (i > start && depth === 1 && SNMP_COMMUNITY_BODY.test(body)) return true;
    depth += (body.match(/\{/g) ?? []).length - (body.match(/\}/g) ?? []).length;
    if (depth <= 0) return false;
  }
  return false;
}
