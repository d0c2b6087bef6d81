export { createJunosDriver, JUNOS_CAPABILITIES, JunosDriver, type JunosDriverOptions } from './junos-driver.js';
export { errorFromRpcErrors, isLockError } from './classify.js';
export { prepareCommand, type PreparedCommand } from './command.js';
export { detectLoadFormat, resolveLoadRequest, type LoadFormat, type LoadRequest } from './load-request.js';
export { diffHash, normaliseDiff } from './parsers.js';
