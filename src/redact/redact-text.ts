import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { ConfigTextScanner, type Found } from './config-text.js';
import { MIN_SECRET_LENGTH, REDACTED, redactKnownSecrets, registerSecret } from './known-values.js';
import { JsonScanner, XmlScanner } from './markup.js';
import { redactLineShapes, redactPrivateKeys } from './shapes.js';

export interface RedactOptions {
  /** Secret values to remove in this call, on top of the registered ones. */
  readonly secrets?: readonly string[];
}

/** The structure layers for one text: state carried from line to line. */
class Layers {
  readonly #config = new ConfigTextScanner();
  readonly #xml: XmlScanner | undefined;
  readonly #json: JsonScanner | undefined;

  constructor(sample: string) {
    // The markup scanners run only where their syntax shows up at all (cheap checks on the text).
    this.#xml = sample.includes('</') || sample.includes('/>') ? new XmlScanner() : undefined;
    this.#json = /"\s*:/.test(sample) ? new JsonScanner() : undefined;
  }

  line(line: string, lines: readonly string[], index: number, found?: Found): string {
    let out = redactLineShapes(line, found);
    out = this.#config.line(out, lines, index, found);
    if (this.#xml) out = this.#xml.line(out, found);
    if (this.#json) out = this.#json.line(out, found);
    return out;
  }
}

/**
 * Every layer over one text: known values, private keys, then line by line the vendor-neutral
 * shapes and the dialect tables' fields in curly-brace/set text, XML and JSON. Use on any text
 * leaving the process. Idempotent.
 */
export function redactText(text: string, opts: RedactOptions = {}): string {
  if (typeof text !== 'string' || text.length === 0) return text;
  const masked = redactPrivateKeys(redactKnownSecrets(text, opts.secrets ?? []));
  const lines = masked.split('\n');
  const layers = new Layers(masked);
  for (let i = 0; i < lines.length; i++) lines[i] = layers.line(lines[i]!, lines, i);
  return lines.join('\n');
}

/** Longest stretch of redaction work between two yields to the event loop. */
const SLICE_MS = 10;

/**
 * redactText for large texts (device output of many megabytes): the same result, computed in
 * slices with a yield to the event loop between them, so other users' requests keep being served.
 */
export async function redactTextAsync(text: string, opts: RedactOptions = {}): Promise<string> {
  if (text.length < 64 * 1024) return redactText(text, opts);
  const known = redactKnownSecrets(text, opts.secrets ?? []);
  await yieldToEventLoop();
  const masked = redactPrivateKeys(known);
  await yieldToEventLoop();
  const lines = masked.split('\n');
  const layers = new Layers(masked);
  let sliceStart = performance.now();
  for (let i = 0; i < lines.length; i++) {
    lines[i] = layers.line(lines[i]!, lines, i);
    if ((i & 127) === 127 && performance.now() - sliceStart >= SLICE_MS) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  }
  return lines.join('\n');
}

/**
 * Runs the structure layers over configuration text (a running config, a plan's diff, a config
 * to load, in any format) and registers every secret value they find for value masking, so the
 * value is removed later even where a pipe cut its context away (`| match community`). Returns
 * how many values were found. Only configuration goes here: a value found in prose would be
 * masked everywhere.
 */
export function learnSecrets(config: string): number {
  if (typeof config !== 'string' || config.length === 0) return 0;
  const values = new Set<string>();
  const found: Found = (v) => {
    const value = v.trim();
    if (value.length >= MIN_SECRET_LENGTH && !value.includes(REDACTED)) values.add(value);
  };
  const lines = config.split('\n');
  const layers = new Layers(config);
  for (let i = 0; i < lines.length; i++) layers.line(lines[i]!, lines, i, found);
  for (const v of values) registerSecret(v);
  return values.size;
}
