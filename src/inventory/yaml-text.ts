import { parseDocument, visit } from 'yaml';

export type YamlParse =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly reason: string };

/**
 * Parses YAML the way containerlab's Go decoder fills string fields: a scalar keeps its source text
 * (`password: 0123` stays "0123", `on` stays "on"), null stays null. Merge keys (`<<: *anchor`) are
 * honoured and duplicate keys are an error, as with yaml.UnmarshalStrict.
 */
export function parseYamlText(text: string): YamlParse {
  const doc = parseDocument(text, { merge: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first !== undefined) {
    const pos = first.linePos?.[0];
    const where = pos === undefined ? '' : ` at line ${pos.line}, column ${pos.col}`;
    // The pretty message's first line, without the position it repeats and the excerpt after it.
    const what = (first.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    return { ok: false, reason: `invalid YAML${where}: ${what}` };
  }
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'number' || typeof node.value === 'boolean' || typeof node.value === 'bigint') {
        node.value = node.source ?? String(node.value);
      }
    },
  });
  return { ok: true, value: doc.contents === null ? null : doc.toJS({ maxAliasCount: 1000 }) };
}
