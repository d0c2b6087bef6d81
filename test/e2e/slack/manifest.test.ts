import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO } from '../../helpers/cli.js';

interface Manifest {
  display_information: { name: string; description: string };
  features: {
    app_home: { home_tab_enabled: boolean; messages_tab_enabled: boolean; messages_tab_read_only_enabled: boolean };
    bot_user: { display_name: string };
    slash_commands: { command: string; description: string; usage_hint: string; url?: string }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { bot_events: string[]; request_url?: string };
    interactivity: { is_enabled: boolean; request_url?: string };
    socket_mode_enabled: boolean;
  };
}

/** The manifest an admin pastes into api.slack.com: what the bot needs, within the schema's limits. */
describe('slack-app-manifest.yaml', () => {
  const manifest = parse(readFileSync(join(REPO, 'slack-app-manifest.yaml'), 'utf8')) as Manifest;

  it('declares /clab, interactivity and Socket Mode, with no HTTP URLs', () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(['/clab']);
    expect(manifest.features.slash_commands[0]!.url).toBeUndefined();
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true });
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });

  it('enables the Home tab and subscribes to app_home_opened, the one event the bot listens to', () => {
    expect(manifest.features.app_home).toEqual({ home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: true });
    expect(manifest.settings.event_subscriptions).toEqual({ bot_events: ['app_home_opened'] });
  });

  it('asks for exactly the bot scopes the bot uses', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(['chat:write', 'commands', 'files:write', 'usergroups:read', 'users:read']);
  });

  it('stays within the manifest schema limits', () => {
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140);
    expect(manifest.features.bot_user.display_name.length).toBeLessThanOrEqual(80);
    for (const c of manifest.features.slash_commands) {
      expect(c.command).toMatch(/^\/[^\s]{1,31}$/);
      expect(c.description.length).toBeLessThanOrEqual(2000);
      expect(c.usage_hint.length).toBeLessThanOrEqual(1000);
    }
  });
});
