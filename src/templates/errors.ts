import { ClabBotError } from '../errors.js';

/** Where in a template something went wrong, and for which node. */
export interface TemplateWhere {
  readonly template: string;
  readonly line: number | undefined;
  readonly node: string | undefined;
}

function at(where: TemplateWhere): string {
  const line = where.line === undefined ? '' : `, line ${where.line}`;
  const node = where.node === undefined ? '' : ` for ${where.node}`;
  return `${where.template}${line}${node}`;
}

/**
 * A template could not be rendered: an undefined variable, a syntax error, a refused construct
 * (include, a sandbox escape), too much work. The message names the template, line and node.
 */
export class TemplateError extends ClabBotError {
  readonly where: TemplateWhere;
  constructor(code: 'template_undefined' | 'template_syntax' | 'template_refused' | 'template_render', message: string, where: TemplateWhere, hint: string) {
    super(code, `${at(where)}: ${message}`, { hint });
    this.where = where;
  }
}

export const UNDEFINED_HINT =
  'fix the name, pass it with --var NAME=VALUE (read as vars.NAME), or guard an optional value with {% if "NAME" in vars %}; `clab-bot render SELECTOR --template T` shows the result without touching a device';
