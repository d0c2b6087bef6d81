/**
 * What a template sees (docs/user-guide.md, "Templates"): `node` (the target's facts from the
 * inventory and the lab files), `lab` (its name and vars) and `vars` (the request's --var
 * values). Nothing else: no credentials, no paths of the bot host, no functions.
 */
import { UsageError } from '../errors.js';
import type { LabNode } from '../inventory/types.js';
import type { LabFiles, NodeLink } from './lab-files.js';

export interface NodeFacts {
  readonly name: string;
  readonly lab: string;
  readonly kind: string;
  readonly vendor: string;
  readonly mgmt_ipv4: string | null;
  readonly mgmt_ipv6: string | null;
  readonly labels: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string>>;
  /** The number in the node name (r12 → 12, leaf-03 → 3; the last run of digits), null when none. */
  readonly index: number | null;
  readonly links: readonly NodeLink[];
}

export interface TemplateContext {
  readonly node: NodeFacts;
  readonly lab: { readonly name: string; readonly vars: Readonly<Record<string, unknown>> };
  readonly vars: Readonly<Record<string, unknown>>;
}

/** r12 → 12; spine-01 → 1; leaf2a → 2; srl → null. */
export function nodeIndex(name: string): number | null {
  const digits = /(\d+)(?!.*\d)/.exec(name)?.[1];
  return digits === undefined ? null : Number.parseInt(digits, 10);
}

export function templateContext(node: LabNode, files: LabFiles | undefined, vars: Readonly<Record<string, unknown>>): TemplateContext {
  return {
    node: {
      name: node.name,
      lab: node.lab,
      kind: node.kind,
      vendor: node.vendor,
      mgmt_ipv4: node.mgmtIpv4 ?? null,
      mgmt_ipv6: node.mgmtIpv6 ?? null,
      // Copies: templates get their own objects (the strict marking must not touch the inventory's).
      labels: { ...node.labels },
      env: { ...(files?.env.get(node.name) ?? {}) },
      index: nodeIndex(node.name),
      links: (files?.links.get(node.name) ?? []).map((l) => ({ ...l })),
    },
    // containerlab keeps no lab-wide variables in the files clab-bot reads (only per-link vars): empty for now.
    lab: { name: node.lab, vars: {} },
    vars: structuredClone(vars) as Record<string, unknown>,
  };
}

/** A --var key: names joined by dots (`bgp.asn` is vars.bgp.asn). */
const VAR_KEY = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/**
 * The --var pairs as the `vars` object: `key=value` with string values; a dotted key nests
 * (`--var bgp.asn=65001` → vars.bgp.asn). A key given twice, or both as a value and as a parent
 * (`a=1` and `a.b=2`), is refused.
 */
export function varsObject(pairs: readonly { readonly key: string; readonly value: string }[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const { key, value } of pairs) {
    if (!VAR_KEY.test(key)) {
      throw new UsageError(`--var ${key}: a name is letters, digits and _ (not starting with a digit), parts joined by dots`, { hint: 'for example --var asn=65001 or --var bgp.asn=65001' });
    }
    const parts = key.split('.');
    let at = root;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const existing = at[part];
      if (last) {
        if (existing !== undefined) throw new UsageError(`--var ${key} is given twice (or is also the parent of another --var)`, { hint: 'give each name once' });
        at[part] = value;
        return;
      }
      if (existing === undefined) at[part] = {};
      else if (typeof existing !== 'object') throw new UsageError(`--var ${key}: ${parts.slice(0, i + 1).join('.')} is already a value`, { hint: 'give each name once' });
      at = at[part] as Record<string, unknown>;
    });
  }
  return root;
}
