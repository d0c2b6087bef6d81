/**
 * One secret-bearing field of a configuration, as data. `path` names the elements from an
 * enclosing one down to the one that holds the secret, space-separated:
 *
 *  - `secret`                   any `secret` leaf (Junos `secret "…";`, XML `<secret>…</secret>`, JSON `"secret": "…"`)
 *  - `md5 key`                  a `key` leaf somewhere below an `md5` element (`md5 1 key "…"`, `<md5><name>1</name><key>…</key>`)
 *  - `snmp community name`      the *name* of a `community` below `snmp`: in text the word after
 *                               the keyword (`community NAME {`, `set snmp community NAME …`), in XML/JSON its `name` child
 *
 * Every name but the last may be separated from the next by other elements (`snmp … community`);
 * the last two of a `… X name` path are parent and child. A name may hold `*` (any characters).
 * Names are compared as the device prints them (Junos: lower-case with dashes).
 */
export interface SecretField {
  readonly path: string;
  /** Why it is a secret, for the table's readers. */
  readonly note?: string;
}

/** One CLI dialect's secret-bearing fields. Add a dialect by adding a table to dialects/index.ts. */
export interface DialectSecrets {
  /** The dialect's name, as in permissions/cli-dialect.ts (`junos`, `srlinux`, `eos`, `ios`, `vtysh`). */
  readonly dialect: string;
  readonly fields: readonly SecretField[];
}
