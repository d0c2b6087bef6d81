/** Public API of the containerlab inventory. */
export type { Credentials, DriverName, InventoryWarning, Lab, LabNode, Selector } from './types.js';
export {
  isKindGlob, kindMatches, kindNames, kindSpec, kindSpecs, namesOfKind, resolveKind,
  type CanonicalKind, type KindSpec, type MgmtProtocol, type MgmtService,
} from './kinds.js';
export { loadInventory, type Inventory, type LoadOptions, type TextSource } from './load.js';
export { LabRegistry, type LabRegistryOptions } from './registry.js';
export { describeSelector, selectNodes } from './select.js';
export {
  overrideFor, resolveCredentialOverrides, type CredentialOverrides, type NodeOverride, type ResolvedOverrides,
} from './overrides.js';
export { isSecretRef, resolveSecretRef, type SecretRefOptions } from './secret-ref.js';
export { PORT_LABEL, TLS_LABEL } from './node-resolve.js';
export { containerName } from './clab-names.js';
export { NoLabsError, POINT_AT_LABS, describeSearch, type LabSearch } from './no-labs.js';
