export { BOT_PREFIX, createEosDriver, EAPI_PATH, EOS_CAPABILITIES, EosDriver, type EosDriverOptions } from './eos-driver.js';
export { canonicalSessionDiff, commitTimer, eapiError, eosFacts, parseFailure, runCmdsParams } from './eapi.js';
export { configLines } from './config-lines.js';
export { filterOutput, prepareExec } from './exec-command.js';
export { eosStatements } from './statements.js';
