import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../../src/app.js';
import { ClabBotError, SettingsError } from '../../../src/errors.js';
import { createSlackFrontEnd } from '../../../src/handlers/slack/index.js';
import { silentLogger } from '../../../src/log.js';
import { loadSettings } from '../../../src/settings.js';
import { startFakeSlack, type FakeSlack } from '../../fakes/slack/index.js';

/** The front end refuses to start without what its mode needs, naming the variable to set. */
describe('Slack settings at start', () => {
  let dir: string;
  let fake: FakeSlack;
  const apps: App[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clab-bot-slack-settings-'));
    fake = await startFakeSlack();
  });

  afterAll(async () => {
    for (const a of apps) await a.close();
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function appWith(env: NodeJS.ProcessEnv): Promise<App> {
    const settings = loadSettings({ env: { CLAB_BOT_DB: `sqlite:${join(dir, `${apps.length}.db`)}`, ...env }, cwd: dir });
    const app = await createApp(settings, { logger: silentLogger });
    apps.push(app);
    return app;
  }

  const refusal = async (env: NodeJS.ProcessEnv): Promise<SettingsError> => {
    const app = await appWith(env);
    try {
      createSlackFrontEnd(app);
    } catch (err) {
      if (err instanceof SettingsError) return err;
      throw err;
    }
    throw new Error('the front end was created');
  };

  it('Socket Mode needs SLACK_BOT_TOKEN and an app-level SLACK_APP_TOKEN', async () => {
    expect((await refusal({ SLACK_APP_TOKEN: 'xapp-1-abc' })).key).toBe('SLACK_BOT_TOKEN');
    const noApp = await refusal({ SLACK_BOT_TOKEN: 'xoxb-1-abc' });
    expect(noApp.key).toBe('SLACK_APP_TOKEN');
    expect(noApp.message).toContain('connections:write');
    const wrongKind = await refusal({ SLACK_BOT_TOKEN: 'xoxb-1-abc', SLACK_APP_TOKEN: 'xoxb-1-abc' });
    expect(wrongKind.message).toBe('setting SLACK_APP_TOKEN: must be an app-level token (xapp-…), not a bot or user token');
  });

  it('HTTP mode needs SLACK_SIGNING_SECRET', async () => {
    const err = await refusal({ SLACK_BOT_TOKEN: 'xoxb-1-abc', CLAB_BOT_CONFIG: writeHttpConfig() });
    expect(err.key).toBe('SLACK_SIGNING_SECRET');
  });

  it('a token Slack refuses stops start() with a message naming SLACK_BOT_TOKEN and the API URL', async () => {
    const app = await appWith({ SLACK_BOT_TOKEN: 'xoxb-not-the-right-one', SLACK_APP_TOKEN: fake.appToken, SLACK_API_URL: fake.apiUrl });
    const frontEnd = createSlackFrontEnd(app, { retryConfig: { retries: 0 } });
    const started = frontEnd.start();
    await expect(started).rejects.toBeInstanceOf(ClabBotError);
    await expect(started).rejects.toThrow(`Slack refused the bot token (invalid_auth): check SLACK_BOT_TOKEN and SLACK_API_URL (${fake.apiUrl})`);
    await frontEnd.stop();
    expect(fake.socketConnections).toBe(0);
  });

  function writeHttpConfig(): string {
    const file = join(dir, 'http.yaml');
    writeFileSync(file, 'slack:\n  mode: http\n');
    return file;
  }
});
