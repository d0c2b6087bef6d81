import { DIALECT_SECRETS, type DialectSecrets } from './dialects/index.js';

type NameTest = (name: string) => boolean;

/** A SecretField ready to match. */
export interface CompiledField {
  /** The element's name when it has no `*` (for the index). */
  readonly exact: string | undefined;
  /** The longest literal part of a `*` pattern (for the cheap mention test). */
  readonly glob: string | undefined;
  /** Elements that must enclose the secret, outermost first, in order (not necessarily adjacent). */
  readonly above: readonly NameTest[];
  /** The element holding the value: the leaf itself, or the parent whose name is the secret. */
  readonly element: NameTest;
  /** `… X name`: the secret is X's name (text: the word after X; XML/JSON: X's `name` child). */
  readonly named: boolean;
}

function nameTest(name: string): NameTest {
  if (!name.includes('*')) return (n) => n === name;
  const star = name.indexOf('*');
  if (star === 0 && name.lastIndexOf('*') === 0) {
    const suffix = name.slice(1);
    return (n) => n.endsWith(suffix);
  }
  const re = new RegExp(`^${name.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return (n) => re.test(n);
}

export function compileFields(tables: readonly DialectSecrets[]): CompiledField[] {
  return tables.flatMap((t) =>
    t.fields.map((f) => {
      const names = f.path.trim().split(/\s+/);
      const named = names.length >= 2 && names[names.length - 1] === 'name';
      const element = named ? names[names.length - 2]! : names[names.length - 1]!;
      const above = names.slice(0, named ? -2 : -1);
      const glob = element.includes('*') ? element.split('*').sort((a, b) => b.length - a.length)[0] : undefined;
      return { exact: element.includes('*') ? undefined : element, glob, above: above.map(nameTest), element: nameTest(element), named };
    }),
  );
}

/** The fields of every dialect (dialects/index.ts). */
export const FIELDS: readonly CompiledField[] = compileFields(DIALECT_SECRETS);

/** Fields looked up by element name: one map lookup per word, plus the few `*` patterns. */
export class FieldIndex {
  readonly #exact = new Map<string, CompiledField[]>();
  readonly #globs: CompiledField[] = [];

  constructor(fields: readonly CompiledField[]) {
    for (const f of fields) {
      if (f.exact === undefined) this.#globs.push(f);
      else this.#exact.set(f.exact, [...(this.#exact.get(f.exact) ?? []), f]);
    }
  }

  /** Whether `text` may hold one of the fields' element names (a cheap test before tokenizing). */
  mentionedIn(text: string): boolean {
    this.#mention ??= mentionPattern([...this.#exact.keys(), ...this.#globParts]);
    return this.#mention.test(text);
  }
  #mention: RegExp | undefined;
  /** The literal part of each `*` pattern (`*authentication-key` → `authentication-key`). */
  get #globParts(): string[] {
    return this.#globs.map((f) => f.glob ?? '');
  }

  /** The fields whose element is `name`. */
  for(name: string): readonly CompiledField[] {
    const exact = this.#exact.get(name);
    if (this.#globs.length === 0) return exact ?? NONE;
    const globs = this.#globs.filter((f) => f.element(name));
    return globs.length === 0 ? (exact ?? NONE) : [...(exact ?? []), ...globs];
  }
}

const NONE: readonly CompiledField[] = [];

/**
 * One regex for "does the text hold any of these names": a name holding another (`key-string`
 * holds `key`) adds nothing to a substring test, so only the shortest forms are alternatives.
 */
function mentionPattern(names: readonly string[]): RegExp {
  // A pattern with no literal part (`*`) may match any word.
  if (names.includes('')) return /(?:)/;
  const unique = [...new Set(names)];
  const minimal = unique.filter((n) => !unique.some((m) => m !== n && n.includes(m)));
  return new RegExp(minimal.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));
}

export const FIELD_INDEX = new FieldIndex(FIELDS);

/** Whether `tests` appear in `names[0..end)` in order. */
export function hasInOrder(tests: readonly NameTest[], names: readonly string[], end: number = names.length): boolean {
  let t = 0;
  for (let i = 0; i < end && t < tests.length; i++) if (tests[t]!(names[i]!)) t++;
  return t === tests.length;
}

/**
 * Whether the value of element `path[path.length - 1]` (XML/JSON: the path of element or key
 * names from the root) is a secret under `fields`.
 */
export function isSecretPath(path: readonly string[], index: FieldIndex = FIELD_INDEX): boolean {
  const n = path.length;
  if (n === 0) return false;
  const leaf = path[n - 1]!;
  for (const f of index.for(leaf)) if (!f.named && hasInOrder(f.above, path, n - 1)) return true;
  if (leaf === 'name' && n >= 2) for (const f of index.for(path[n - 2]!)) if (f.named && hasInOrder(f.above, path, n - 2)) return true;
  return false;
}
