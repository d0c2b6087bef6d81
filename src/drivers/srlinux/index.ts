export { createSrlinuxDriver, SRLINUX_CAPABILITIES, SrlinuxDriver, type SrlinuxDriverOptions } from './srlinux-driver.js';
export { commandsFor, flatCommands, InputError, type SrlCommand } from './config-input.js';
