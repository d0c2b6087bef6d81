/**
 * Where candidate configuration comes from: one type from the request that names it, through the
 * change that stores it, to the driver that loads it. Each boundary has one mapping:
 *  - grammar → model: ops/request-runner.ts reads `--file` / pasted text into a `text` source;
 *  - model ↔ row: db/changes-repo.ts (sourceColumns / toSource);
 *  - model → view: ops/changes/view.ts (SourceView, which never carries the text).
 */

export type ConfigFormat = 'text' | 'set' | 'xml';

export type ConfigSource =
  | {
      readonly type: 'text';
      readonly content: string;
      readonly format?: ConfigFormat | undefined;
      /** Hex sha256 of content: the front end's (checked when a change is proposed) or the one the change stored. */
      readonly sha256?: string | undefined;
    }
  | { readonly type: 'device-file'; readonly path: string }
  | { readonly type: 'rollback'; readonly index: number };

/** A source whose inline text carries its sha256: what a change request holds once proposed. */
export type HashedSource = WithHash<ConfigSource>;
type WithHash<S> = S extends { readonly type: 'text' } ? S & { readonly sha256: string } : S;

/**
 * The source as renderers and `--output json` show it. Inline text is named by its hash and size,
 * never echoed: it holds the secrets it sets.
 */
export type SourceView =
  | Exclude<ConfigSource, { readonly type: 'text' }>
  | {
      readonly type: 'text';
      readonly sha256: string;
      readonly bytes: number;
      readonly lines: number;
      readonly format: ConfigFormat | undefined;
    };

/** Short text for events, audit rows and headlines; inline text is named by its hash (and size in a view), never echoed. */
export function describeSource(source: HashedSource | SourceView): string {
  switch (source.type) {
    case 'text': {
      const hash = `text sha256:${source.sha256.slice(0, 12)}`;
      return 'lines' in source ? `${hash} (${source.lines} lines)` : hash;
    }
    case 'device-file':
      return `device file ${source.path}`;
    case 'rollback':
      return `rollback ${source.index}`;
    default:
      return source satisfies never;
  }
}
