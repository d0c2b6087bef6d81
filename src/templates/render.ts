/**
 * Renders one configuration per node from a Jinja2-syntax template (nunjucks), inside a sandbox:
 *  - no template can load another (include, import, extends): the loader refuses every name;
 *  - no custom globals or filters, autoescape off (the output is device configuration, not HTML);
 *  - strict names: a variable or key that does not exist is an error naming it, the line and node;
 *  - no way to code: nunjucks lets `x.constructor` reach Function (the known escape
 *    `range.constructor("return process")()`), so member lookups are guarded here: properties of
 *    functions and the prototype plumbing (constructor, __proto__, prototype, __defineGetter__...) are refused;
 *  - bounded work: each render has a step budget (lookups and loop iterations) and an output size limit.
 * nunjucks' runtime helpers are shared by every compiled template, so the guards are installed
 * on them once, for the whole process: clab-bot renders nothing else with nunjucks.
 */
import { createRequire } from 'node:module';
import type * as Nunjucks from 'nunjucks';
import { TemplateError, UNDEFINED_HINT, type TemplateWhere } from './errors.js';

/** Keys no template may look up on anything: they lead from data to code. */
const BLOCKED_KEYS: ReadonlySet<string> = new Set([
  'constructor',
  '__proto__',
  'prototype',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
  'caller',
  'callee',
  'arguments',
]);

/** Largest rendered text per node (as a config file: 2 MiB). */
export const MAX_RENDERED_BYTES = 2 * 1024 * 1024;
/** Lookups and loop iterations one node's render may take: generous for a config (thousands of lines), finite for a runaway loop. */
export const STEP_BUDGET = 500_000;
/** Longest list range() makes: nunjucks builds the whole array first, so range(1e9) would exhaust memory before any step is counted. */
export const MAX_RANGE = 100_000;

/** Thrown inside a render when a name is missing; mapped to TemplateError with the line. */
class MissingName extends Error {
  constructor(readonly missing: string) {
    super(`${missing} is undefined`);
  }
}

/** Thrown inside a render for a refused construct. */
class Refused extends Error {}

/** The data objects of the context, with the dotted name each one has in templates (`node.labels`). */
const strictNames = new WeakMap<object, string>();

/** True while one of our renders runs (renders are synchronous): top-level names are strict then. */
let rendering = false;
let steps = 0;
let budget = Number.POSITIVE_INFINITY;
function step(): void {
  if (++steps > budget) throw new Refused(`the template does too much work (over ${STEP_BUDGET} steps): look for a runaway loop or range()`);
}

type Context = { ctx: Record<string, unknown>; env: { globals: Record<string, unknown> } };
type Runtime = {
  memberLookup: (obj: unknown, key: unknown) => unknown;
  contextOrFrameLookup: (context: Context, frame: { lookup(n: string): unknown }, name: string) => unknown;
  Frame: { prototype: { set: (...args: unknown[]) => unknown } };
};

/** nunjucks, loaded with the first template: no other command pays for it at start. */
let lib: typeof Nunjucks | undefined;
function nunjucks(): typeof Nunjucks {
  return (lib ??= createRequire(import.meta.url)('nunjucks') as typeof Nunjucks);
}

let installed = false;
function installGuards(): void {
  if (installed) return;
  installed = true;
  const runtime = nunjucks().runtime as unknown as Runtime;
  const memberLookup = runtime.memberLookup;
  runtime.memberLookup = (obj, key) => {
    step();
    const name = String(key);
    if (BLOCKED_KEYS.has(name)) throw new Refused(`\`.${name}\` is not available in templates`);
    if (typeof obj === 'function') throw new Refused(`functions have no properties in templates (\`.${name}\`)`);
    if (obj !== null && typeof obj === 'object') {
      const path = strictNames.get(obj);
      if (path !== undefined && !Object.prototype.hasOwnProperty.call(obj, name)) throw new MissingName(`${path}.${name}`);
    }
    return memberLookup(obj, key);
  };
  const contextOrFrameLookup = runtime.contextOrFrameLookup;
  runtime.contextOrFrameLookup = (context, frame, name) => {
    step();
    const value = contextOrFrameLookup(context, frame, name);
    if (value === undefined && rendering && !(name in context.ctx) && !(name in context.env.globals)) throw new MissingName(name);
    return value;
  };
  // Every loop iteration sets its loop variables: counting sets bounds loops without lookups.
  const set = runtime.Frame.prototype.set;
  runtime.Frame.prototype.set = function (this: unknown, ...args: unknown[]) {
    step();
    return set.apply(this, args);
  };
}

/** A loader that has no templates: include, import and extends fail with a clear message. */
const NO_TEMPLATES: Nunjucks.ILoader = {
  getSource(name: string): Nunjucks.LoaderSource {
    throw new Refused(`templates cannot include, import or extend other files (${JSON.stringify(name)}); put everything in one template`);
  },
};

function environment(): Nunjucks.Environment {
  // dev: keep nunjucks' own error (line, column, cause) instead of a re-wrapped copy.
  const env = new (nunjucks().Environment)([NO_TEMPLATES], { autoescape: false, throwOnUndefined: true, dev: true });
  const range = env.getGlobal('range') as (start: number, stop?: number, step?: number) => number[];
  // The built-in range, bounded (a replacement of a built-in global, not a new one).
  env.addGlobal('range', (start: number, stop?: number, step?: number) => {
    const [from, to, by] = stop === undefined ? [0, Number(start), 1] : [Number(start), Number(stop), step === undefined ? 1 : Number(step)];
    if (!Number.isFinite(from) || !Number.isFinite(to) || !Number.isFinite(by) || by === 0 || Math.abs((to - from) / by) > MAX_RANGE) {
      throw new Refused(`range() makes at most ${MAX_RANGE} numbers`);
    }
    return range(start, stop, step);
  });
  return env;
}

/**
 * Marks plain objects (recursively) as strict: a template reading a key they do not have gets an
 * error naming `path.key`. Arrays are walked (their items named `path[i]`), strings left alone.
 */
export function strict<T>(value: T, path: string): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    value.forEach((item, i) => strict(item, `${path}[${i}]`));
    return value;
  }
  strictNames.set(value, path);
  for (const [key, item] of Object.entries(value)) strict(item, path === '' ? key : `${path}.${key}`);
  return value;
}

export interface CompiledTemplate {
  /** The template as the request named it (messages). */
  readonly name: string;
  render(context: Record<string, unknown>, node: string): string;
}

/** Compiles `text` (syntax errors are reported here, before any node is rendered). */
export function compileTemplate(name: string, text: string): CompiledTemplate {
  installGuards();
  const env = environment();
  let template: Nunjucks.Template;
  try {
    template = new (nunjucks().Template)(text, env, name, true);
  } catch (err) {
    throw templateError(err, { template: name, line: undefined, node: undefined }, text);
  }
  return {
    name,
    render(context, node) {
      steps = 0;
      budget = STEP_BUDGET;
      rendering = true;
      let out: string;
      try {
        // A fresh copy per node: a template's `{% set %}` never leaks into the next node.
        out = template.render(strict({ ...context }, ''));
      } catch (err) {
        throw templateError(err, { template: name, line: undefined, node }, text);
      } finally {
        budget = Number.POSITIVE_INFINITY;
        rendering = false;
      }
      if (Buffer.byteLength(out, 'utf8') > MAX_RENDERED_BYTES) {
        throw new TemplateError('template_render', `the rendered configuration is over ${MAX_RENDERED_BYTES} bytes`, { template: name, line: undefined, node }, 'render less: configurations over 2 MiB are refused');
      }
      return out;
    },
  };
}

interface NunjucksError extends Error {
  readonly lineno?: number;
  readonly colno?: number;
  readonly cause?: unknown;
}

/** nunjucks' error (or ours inside it) as the project's typed error with the line. */
function templateError(err: unknown, base: TemplateWhere, text: string): TemplateError {
  const e = err as NunjucksError;
  const cause = e.cause ?? e;
  // nunjucks numbers lines from 1 in its own errors and tracks only function calls in compiled code (0 otherwise).
  const line = typeof e.lineno === 'number' && e.lineno > 0 ? e.lineno : base.line;
  const where: TemplateWhere = { ...base, line };
  if (cause instanceof MissingName) {
    return new TemplateError('template_undefined', `\`${cause.missing}\` is undefined`, { ...base, line: lineOf(text, cause.missing) ?? line }, UNDEFINED_HINT);
  }
  if (cause instanceof Refused) return new TemplateError('template_refused', cause.message, where, 'templates render text from node, lab and vars only');
  if (cause instanceof RangeError) {
    return new TemplateError('template_refused', `the template recurses too deep (${cause.message})`, where, 'look for a macro that calls itself without end');
  }
  // nunjucks prefixes `(name) [Line n, Column m]` and a newline: the project's message says where itself.
  const message = (cause instanceof Error ? cause.message : String(cause)).replace(/^\([^\n]*\)( \[Line \d+, Column \d+\])?\s*/, '').replace(/^(Error: )?/, '');
  if (/attempted to output null or undefined value/.test(message)) {
    const expr = expressionAt(text, line, e.colno);
    return new TemplateError('template_undefined', `${expr === undefined ? 'a value' : `\`${expr}\``} is empty (null) and cannot be printed`, where,
      'print it only when set ({% if node.mgmt_ipv6 %}...{% endif %}) or give a fallback ({{ node.mgmt_ipv6 or "none" }})');
  }
  if (base.node === undefined) {
    return new TemplateError('template_syntax', message.split('\n')[0] ?? message, where, 'fix the template syntax (Jinja2 as nunjucks reads it: {{ expr }}, {% if %}, {% for %})');
  }
  return new TemplateError('template_render', message.split('\n')[0] ?? message, where, 'fix the template; `clab-bot render SELECTOR --template T` shows the result without touching a device');
}

/** The expression printed at (line, column), both 1-based, from the template text. */
function expressionAt(text: string, line: number | undefined, col: number | undefined): string | undefined {
  if (line === undefined || col === undefined) return undefined;
  const src = text.split('\n')[line - 1];
  if (src === undefined) return undefined;
  const rest = src.slice(Math.max(0, col - 1));
  const expr = rest.replace(/^\{\{-?/, '').split(/-?\}\}|\|/)[0]?.trim();
  return expr === undefined || expr === '' ? undefined : expr;
}

/**
 * The line a missing name is read on. Compiled templates do not track the line of a plain lookup,
 * so the name is looked for in the text: the whole dotted name first, then its last key.
 */
function lineOf(text: string, name: string): number | undefined {
  const lines = text.split('\n');
  const last = name.split(/[.[\]]/).filter((p) => p !== '').at(-1) ?? name;
  // `vars.by_node.r2` may be written vars.by_node[node.name]: the parents come next.
  const parts = name.split('.');
  const parents = parts.slice(1).map((_, i) => parts.slice(0, parts.length - 1 - i).join('.'));
  const tries = [name, `.${last}`, `"${last}"`, `'${last}'`, last, ...parents];
  for (const needle of tries) {
    const at = lines.findIndex((l) => new RegExp(`(^|[^A-Za-z0-9_])${escapeRe(needle)}($|[^A-Za-z0-9_])`).test(l));
    if (at >= 0) return at + 1;
  }
  return undefined;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
