import { isSecretPath } from './fields.js';
import { REDACTED, isRedacted } from './known-values.js';
import type { Found } from './config-text.js';

/** Tags, comments, processing instructions and text runs of an XML line. */
const XML_TOKEN = /<!--.*?(?:-->|$)|<\?.*?(?:\?>|$)|<(\/?)([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)(?:\s(?:[^>"']|"[^"]*"|'[^']*')*)?(\/?)>|[^<]+|</g;

/**
 * The structure layer for XML (`| display xml`, NETCONF replies): keeps the element stack across
 * lines and replaces the text of an element whose path is a secret field (`<secret>`,
 * `<community><name>` under `<snmp>`). Namespace prefixes are ignored. Our own `<redacted>` is text.
 */
export class XmlScanner {
  #stack: string[] = [];
  #secret: boolean[] = [];

  line(line: string, found?: Found): string {
    if (!line.includes('<') && this.#secret.at(-1) !== true) return line;
    let out = '';
    let changed = false;
    XML_TOKEN.lastIndex = 0;
    for (let m = XML_TOKEN.exec(line); m !== null; m = XML_TOKEN.exec(line)) {
      const t = m[0];
      const name = m[3];
      if (name !== undefined && t !== REDACTED) {
        if (m[1] === '/') this.#close(name);
        else if (m[4] !== '/') {
          this.#stack.push(name);
          this.#secret.push(isSecretPath(this.#stack));
        }
        out += t;
      } else if (!t.startsWith('<') || t === REDACTED) {
        if (this.#secret.at(-1) === true && t.trim() !== '' && !isRedacted(t.trim())) {
          found?.(unescapeXml(t.trim()));
          out += t.replace(t.trim(), REDACTED);
          changed = true;
        } else out += t;
      } else out += t;
    }
    return changed ? out : line;
  }

  #close(name: string): void {
    const at = this.#stack.lastIndexOf(name);
    if (at < 0) return;
    this.#stack.length = at;
    this.#secret.length = at;
  }
}

function unescapeXml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

const JSON_TOKEN = /"(?:[^"\\]|\\.)*"|[{}[\]:,]/g;

interface Frame {
  readonly array: boolean;
  key: string | undefined;
}

/**
 * The structure layer for JSON (`| display json`, JSON-RPC and eAPI replies): keeps the key path
 * across lines and replaces a string value whose key path is a secret field (`"secret": "…"`,
 * `"snmp": {"community": [{"name": "…"}]}`). Junos wraps operational values as `{"data": …}`:
 * a `data` key adds nothing to the path. Works on fragments too (a `| match` keeps
 * `"secret" : "…"` lines): keys seen outside any object sit in a frame of their own.
 */
export class JsonScanner {
  #stack: Frame[] = [{ array: false, key: undefined }];

  line(line: string, found?: Found): string {
    if (!line.includes('"')) {
      if (/[{}[\]]/.test(line)) this.#punctuation(line);
      return line;
    }
    const edits: { at: number; len: number; value: string }[] = [];
    JSON_TOKEN.lastIndex = 0;
    const tokens: { t: string; at: number }[] = [];
    for (let m = JSON_TOKEN.exec(line); m !== null; m = JSON_TOKEN.exec(line)) tokens.push({ t: m[0], at: m.index });
    for (let i = 0; i < tokens.length; i++) {
      const { t, at } = tokens[i]!;
      const top = this.#stack[this.#stack.length - 1]!;
      if (t === '{' || t === '[') this.#stack.push({ array: t === '[', key: undefined });
      else if (t === '}' || t === ']') {
        if (this.#stack.length > 1) this.#stack.pop();
      } else if (t === ',') {
        if (!top.array) top.key = undefined;
      } else if (t.startsWith('"')) {
        if (tokens[i + 1]?.t === ':') {
          top.key = t.slice(1, -1);
          i++;
        } else if (this.#secretHere() && !isRedacted(t.slice(1, -1)) && t.length > 2) edits.push({ at, len: t.length, value: t });
      }
    }
    if (edits.length === 0) return line;
    let out = line;
    for (const e of edits.reverse()) {
      found?.(unescapeJson(e.value));
      out = `${out.slice(0, e.at)}"${REDACTED}"${out.slice(e.at + e.len)}`;
    }
    return out;
  }

  #punctuation(line: string): void {
    for (const ch of line) {
      if (ch === '{' || ch === '[') this.#stack.push({ array: ch === '[', key: undefined });
      else if ((ch === '}' || ch === ']') && this.#stack.length > 1) this.#stack.pop();
    }
  }

  #secretHere(): boolean {
    const path: string[] = [];
    for (const f of this.#stack) if (f.key !== undefined && f.key !== 'data') path.push(f.key);
    return isSecretPath(path);
  }
}

function unescapeJson(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted.slice(1, -1);
  }
}
