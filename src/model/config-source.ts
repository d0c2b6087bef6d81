/**
 * Where candidate configuration comes from: one type from the request that names it, through the
 * change that stores it, to the driver that loads it. Each boundary has one mapping:
 *  - grammar → model: ops/request-runner.ts reads `--file` / pasted text into a `text` source,
 *    and renders `--template` per node into a `template` source (src/templates);
 *  - model → driver: sourceForNode (a driver loads one node's NodeSource);
 *  - model ↔ row: db/changes-repo.ts (sourceColumns / toSource);
 *  - model → view: ops/changes/view.ts (SourceView, which never carries the text).
 */

export type ConfigFormat = 'text' | 'set' | 'xml';

/** What one node loads: inline text, a file on the device, or its own rollback N. The driver contract takes these. */
export type NodeSource =
  | {
      readonly type: 'text';
      readonly content: string;
      readonly format?: ConfigFormat | undefined;
      /** Hex sha256 of content: the front end's (checked when a change is proposed) or the one the change stored. */
      readonly sha256?: string | undefined;
    }
  | { readonly type: 'device-file'; readonly path: string }
  | { readonly type: 'rollback'; readonly index: number };

/** One node's rendering of a template, with its sha256 (the front end's, checked at proposal, or the stored one). */
export interface RenderedNodeText {
  readonly content: string;
  readonly sha256?: string | undefined;
}

/**
 * `config --template`: one template rendered per node (src/templates); each node loads its own
 * text, and the change stores every rendering, so approval binds to exactly what was rendered.
 */
export interface TemplateSource {
  readonly type: 'template';
  /** The template file as the request named it. */
  readonly path: string;
  /** Hex sha256 of the template file as read (the record of what was rendered from). */
  readonly sha256: string;
  readonly format?: ConfigFormat | undefined;
  /** Each target's rendered text, by `lab/node`. */
  readonly rendered: Readonly<Record<string, RenderedNodeText>>;
}

export type ConfigSource = NodeSource | TemplateSource;

/** A source whose inline text carries its sha256: what a change request holds once proposed. */
export type HashedSource = WithHash<ConfigSource>;
type WithHash<S> = S extends { readonly type: 'text' }
  ? S & { readonly sha256: string }
  : S extends { readonly type: 'template' }
    ? S & { readonly rendered: Readonly<Record<string, RenderedNodeText & { readonly sha256: string }>> }
    : S;

/** What node `key` (`lab/node`) loads from `source`: its own rendering of a template, else the source itself. */
export function sourceForNode(source: ConfigSource, key: string): NodeSource {
  if (source.type !== 'template') return source;
  const own = source.rendered[key];
  // A change's nodes and its renderings are stored together; a node without one is a broken record, never a fallback.
  if (own === undefined) throw new Error(`no rendering of ${source.path} for ${key}`);
  return { type: 'text', content: own.content, format: source.format, ...(own.sha256 === undefined ? {} : { sha256: own.sha256 }) };
}

/**
 * The source as renderers and `--output json` show it. Inline text is named by its hash and size,
 * never echoed: it holds the secrets it sets.
 */
export type SourceView =
  | Exclude<ConfigSource, { readonly type: 'text' | 'template' }>
  | {
      readonly type: 'template';
      readonly path: string;
      readonly sha256: string;
      readonly format: ConfigFormat | undefined;
      /** Per node (`lab/node`): the rendering's hash and size. */
      readonly rendered: Readonly<Record<string, { readonly sha256: string; readonly bytes: number; readonly lines: number }>>;
    }
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
    case 'template': {
      const count = Object.keys(source.rendered).length;
      return `template ${source.path} sha256:${source.sha256.slice(0, 12)} (rendered for ${count} node${count === 1 ? '' : 's'})`;
    }
    case 'device-file':
      return `device file ${source.path}`;
    case 'rollback':
      return `rollback ${source.index}`;
    default:
      return source satisfies never;
  }
}
