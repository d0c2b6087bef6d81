import { loadSettings, type Settings } from '../../src/settings.js';

/** The default limits with some replaced (as clab-bot.yaml's `limits:` would). */
export function limitsWith(over: Partial<Settings['limits']>): Settings['limits'] {
  return { ...loadSettings({ env: {}, cwd: '/' }).limits, ...over };
}
