/**
 * Putting user text inside XML. Escaping `>` as well as `<` and `&` means the bytes `]]>]]>`
 * can never appear in an encoded request, so user text cannot end a base:1.0 message early
 * or smuggle a second RPC.
 */

const TEXT_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const ATTR_ESCAPES: Readonly<Record<string, string>> = { ...TEXT_ESCAPES, '"': '&quot;', "'": '&apos;' };

/**
 * Characters XML 1.0 cannot carry even escaped (§2.2): C0 controls other than TAB/LF/CR,
 * U+FFFE/U+FFFF and unpaired surrogates. A device would reject the whole request.
 */
// In `u` mode a paired surrogate is one code point, so the surrogate range matches only unpaired halves.
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/u;

/** Index of the first character XML cannot carry, or -1. */
export function findNonXmlChar(text: string): number {
  const match = NOT_XML_CHAR.exec(text);
  return match === null ? -1 : match.index;
}

export class NonXmlCharError extends Error {
  readonly index: number;
  readonly codePoint: number;
  constructor(text: string, index: number) {
    const codePoint = text.codePointAt(index) ?? 0;
    super(`character U+${codePoint.toString(16).toUpperCase().padStart(4, '0')} at position ${index} cannot be sent in XML`);
    this.name = 'NonXmlCharError';
    this.index = index;
    this.codePoint = codePoint;
  }
}

function checked(text: string): string {
  const at = findNonXmlChar(text);
  if (at >= 0) throw new NonXmlCharError(text, at);
  return text;
}

/** Escapes element text. Throws NonXmlCharError for characters XML cannot carry. */
export function escapeXmlText(text: string): string {
  return checked(text).replace(/[&<>]/g, (c) => TEXT_ESCAPES[c] ?? c);
}

/** Escapes an attribute value (for use inside double or single quotes). */
export function escapeXmlAttr(text: string): string {
  return checked(text).replace(/[&<>"']/g, (c) => ATTR_ESCAPES[c] ?? c);
}
