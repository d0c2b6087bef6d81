import { DIALECT_SECRETS, type DialectSecrets } from './dialects/index.js';

type NameTest = (name: string) => boolean;

/** A SecretField ready to match. */
export interface CompiledField {
  /** Elements that must enclose the secret, outermost first, in order (not necessarily adjacent). */
  readonly above: readonly NameTest[];
  /** The element holding the value: the leaf itself, or the parent whose name is the secret. */
  readonly element: NameTest;
  /** `… X name`: the secret is X's name (text: the word after X; XML/JSON: X's `name` child). */
  readonly named: boolean;
}

function nameTest(name: string): NameTest {
  if (!name.includes('*')) return (n) => n === name;
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
      return { above: above.map(nameTest), element: nameTest(element), named };
    }),
  );
}

/** The fields of every dialect (dialects/index.ts). */
export const FIELDS: readonly CompiledField[] = compileFields(DIALECT_SECRETS);

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
export function isSecretPath(path: readonly string[], fields: readonly CompiledField[] = FIELDS): boolean {
  const n = path.length;
  if (n === 0) return false;
  const leaf = path[n - 1]!;
  for (const f of fields) {
    if (f.named) {
      if (leaf === 'name' && n >= 2 && f.element(path[n - 2]!) && hasInOrder(f.above, path, n - 2)) return true;
    } else if (f.element(leaf) && hasInOrder(f.above, path, n - 1)) return true;
  }
  return false;
}
