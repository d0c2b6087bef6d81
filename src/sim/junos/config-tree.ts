/**
 * Junos configuration as a tree: parse curly-brace text and `set`/`delete` commands, render
 * text and set commands, merge/override/replace like `load`, and diff like `show | compare`.
 * Pure: no IO, no clock. This module is the public face; each concern lives in its own module:
 * config-model (nodes), config-tokenize, config-path (hierarchy levels), config-text, config-set,
 * config-render, config-merge, config-diff. The hierarchy rules come from config-schema.ts.
 */
export {
  ConfigSyntaxError,
  cloneConfig,
  emptyConfig,
  findChild,
  nodeKey,
  type ConfigIssue,
  type ConfigNode,
  type LoadMethod,
} from './config-model.js';
export { findPath, pathLevels, setPath } from './config-path.js';
export { parseConfigText } from './config-text.js';
export { applySetCommands, type SetResult } from './config-set.js';
export { quoteWord, renderConfigText, renderSetCommands } from './config-render.js';
export { mergeConfig, rebaseConfig } from './config-merge.js';
export { configEquals, diffConfig } from './config-diff.js';
