import { createHash } from 'node:crypto';
import type { LabNode } from '../inventory/types.js';
import { nodeKey } from '../model/node-ref.js';
import { templateContext } from './context.js';
import { TemplateError } from './errors.js';
import { readLabFiles } from './lab-files.js';
import { compileTemplate } from './render.js';

export { TemplateError } from './errors.js';
export { varsObject } from './context.js';

/** One node's rendering: the text it would load and its sha256. */
export interface RenderedText {
  readonly node: LabNode;
  readonly content: string;
  readonly sha256: string;
}

/**
 * Renders `text` (the template named `name`) for every target, all or nothing: the first node that
 * fails stops the request with an error naming it, so no change ever holds a partial rendering.
 */
export function renderForNodes(
  template: { readonly name: string; readonly text: string },
  targets: readonly LabNode[],
  vars: Readonly<Record<string, unknown>>,
): RenderedText[] {
  const compiled = compileTemplate(template.name, template.text);
  const files = readLabFiles(targets);
  return targets.map((node) => {
    const content = compiled.render({ ...templateContext(node, files.get(node.lab), vars) }, nodeKey(node));
    if (content.trim() === '') {
      throw new TemplateError('template_render', 'renders to nothing', { template: template.name, line: undefined, node: nodeKey(node) },
        'a change needs configuration text for every node: narrow the selector, or check the {% if %} around the text');
    }
    return { node, content, sha256: createHash('sha256').update(content, 'utf8').digest('hex') };
  });
}
