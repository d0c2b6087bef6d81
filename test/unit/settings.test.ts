import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SettingsError } from '../../src/errors.js';
import { describeRedis, loadSettings } from '../../src/settings.js';

function withFile(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'clab-settings-'));
  const file = join(dir, 'clab-bot.yaml');
  writeFileSync(file, yaml);
  return file;
}

function failure(fn: () => unknown): SettingsError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SettingsError) return err;
    throw err;
  }
  throw new Error('expected a SettingsError');
}

describe('settings', () => {
  it('defaults: sqlite in the user state directory (never the working directory), socket mode, documented limits', () => {
    const s = loadSettings({ env: { HOME: '/home/ann' }, cwd: '/srv/bot' });
    expect(s.db).toBe('sqlite:/home/ann/.local/state/clab-bot/clab-bot.db');
    expect(loadSettings({ env: { HOME: '/home/ann', XDG_STATE_HOME: '/var/state/ann' }, cwd: '/' }).db).toBe('sqlite:/var/state/ann/clab-bot/clab-bot.db');
    // a relative XDG_STATE_HOME is invalid by the XDG spec and ignored
    expect(loadSettings({ env: { HOME: '/home/ann', XDG_STATE_HOME: 'state' }, cwd: '/' }).db).toBe('sqlite:/home/ann/.local/state/clab-bot/clab-bot.db');
    expect(s.slack.mode).toBe('socket');
    expect(s.limits.per_node_concurrency).toBe(1);
    expect(s.changes).toEqual({ expiryMinutes: 60, confirmMinutes: 5 });
    expect(s.facts).toEqual({ maxAgeMinutes: 60 });
    expect(s.policy).toBeUndefined();
  });

  it('environment wins over the file, and relative paths in the file are relative to it', () => {
    const file = withFile('labs: [labs]\ndb: sqlite:data/bot.db\npolicy: policy.yaml\nslack: { mode: http, port: 8080 }\n');
    const dir = join(file, '..');
    const s = loadSettings({ env: { CLAB_BOT_CONFIG: file, CLAB_LABS: '/a:/b', SLACK_SIGNING_SECRET: 'x' }, cwd: '/' });
    expect(s.labs).toEqual(['/a', '/b', join(dir, 'labs')]);
    expect(s.db).toBe(`sqlite:${join(dir, 'data/bot.db')}`);
    expect(s.policy).toBe(join(dir, 'policy.yaml'));
    expect(s.slack).toMatchObject({ mode: 'http', port: 8080, signingSecret: 'x' });
    const env = loadSettings({ env: { CLAB_BOT_CONFIG: file, CLAB_BOT_DB: 'postgres://u:p@db/clab', CLAB_BOT_POLICY: 'p2.yaml' }, cwd: '/etc' });
    expect(env.db).toBe('postgres://u:p@db/clab');
    expect(env.policy).toBe('/etc/p2.yaml');
  });

  it('facts.max_age_minutes: read from the file; a negative age names the key', () => {
    expect(loadSettings({ env: { CLAB_BOT_CONFIG: withFile('facts: { max_age_minutes: 5 }\n') }, cwd: '/' }).facts).toEqual({ maxAgeMinutes: 5 });
    expect(() => loadSettings({ env: { CLAB_BOT_CONFIG: withFile('facts: { max_age_minutes: -1 }\n') }, cwd: '/' })).toThrow(/facts\.max_age_minutes/);
  });

  it('backup and drift schedules: retention by days, cron patterns checked at start, a schedule needs a channel', () => {
    const load = (yaml: string) => loadSettings({ env: { CLAB_BOT_CONFIG: withFile(yaml) }, cwd: '/' });
    expect(load('').backup).toEqual({ keepVersions: 50, keepDays: undefined, schedule: undefined, channel: undefined });
    expect(load('').drift).toEqual({ schedule: undefined, labChannels: {}, channel: undefined });
    const s = load('backup: { keep_days: 30, schedule: "0 2 * * *", channel: C0BACKUP }\ndrift: { schedule: "*/30 * * * *", channel: C0OPS, lab_channels: { dc1: C0DC1 } }\n');
    expect(s.backup).toEqual({ keepVersions: 50, keepDays: 30, schedule: '0 2 * * *', channel: 'C0BACKUP' });
    expect(s.drift).toEqual({ schedule: '*/30 * * * *', labChannels: { dc1: 'C0DC1' }, channel: 'C0OPS' });
    expect(failure(() => load('backup: { schedule: "every night", channel: C0B }\n')).message).toMatch(/backup\.schedule.*not a cron schedule like "0 2 \* \* \*"/);
    expect(failure(() => load('backup: { schedule: "0 2 * * *" }\n')).message).toContain('backup.schedule needs backup.channel');
    expect(failure(() => load('drift: { schedule: "0 * * * *" }\n')).message).toContain('drift.schedule needs drift.channel or drift.lab_channels');
    expect(failure(() => load('drift: { channel: "#ops" }\n')).message).toMatch(/drift\.channel.*Slack channel id like C0123ABCD/);
    expect(failure(() => load('backup: { keep_days: 0 }\n')).message).toMatch(/backup\.keep_days/);
  });

  it('the SSH identity file: CLAB_BOT_SSH_IDENTITY wins over the global linux.identity_file, a lab\'s own key wins over both', () => {
    const file = withFile('linux:\n  identity_file: keys/global\n  labs:\n    dc1: { identity_file: keys/dc1 }\n');
    const dir = join(file, '..');
    const fromFile = loadSettings({ env: { CLAB_BOT_CONFIG: file }, cwd: '/' }).linux;
    expect(fromFile.identityFile).toBe(join(dir, 'keys/global'));
    const fromEnv = loadSettings({ env: { CLAB_BOT_CONFIG: file, CLAB_BOT_SSH_IDENTITY: 'bot_ed25519' }, cwd: '/home/ann/.ssh' }).linux;
    expect(fromEnv.identityFile).toBe('/home/ann/.ssh/bot_ed25519');
    expect(fromEnv.labs['dc1']?.identityFile).toBe(join(dir, 'keys/dc1'));
  });

  it('an unknown key fails at start naming the key', () => {
    const e = failure(() => loadSettings({ env: { CLAB_BOT_CONFIG: withFile('limits:\n  global_concurency: 5\n') } }));
    expect(e.key).toBe('limits.global_concurency');
    expect(e.message).toMatch(/unknown setting/);
  });

  it('a bad value fails naming the key and the reason', () => {
    const e = failure(() => loadSettings({ env: { CLAB_BOT_CONFIG: withFile('limits: { per_node_concurrency: 0 }\n') } }));
    expect(e.key).toBe('limits.per_node_concurrency');
    expect(e.message).toMatch(/per_node_concurrency/);
    expect(failure(() => loadSettings({ env: { CLAB_BOT_DB: 'mysql://x' } })).key).toBe('CLAB_BOT_DB');
    expect(failure(() => loadSettings({ env: { SLACK_API_URL: 'http://127.0.0.1:1/api' } })).key).toBe('SLACK_API_URL');
    expect(failure(() => loadSettings({ env: { CLAB_BOT_CONFIG: withFile('- a\n- b\n') } })).message).toMatch(/mapping/);
    expect(failure(() => loadSettings({ env: { CLAB_BOT_CONFIG: '/nonexistent/clab-bot.yaml' } })).key).toBe('CLAB_BOT_CONFIG');
  });

  it('a database URL with a password is not echoed in the error', () => {
    const e = failure(() => loadSettings({ env: { CLAB_BOT_DB: 'mysql://user:hunter2secret@db/x' } }));
    expect(e.message).not.toContain('hunter2secret');
  });

  it('CLAB_BOT_REDIS: read with a postgres database; a bad URL is refused without echoing its password', () => {
    const pg = 'postgres://u:p@127.0.0.1/db';
    const s = loadSettings({ env: { CLAB_BOT_DB: pg, CLAB_BOT_REDIS: 'redis://:s3cretRedisPw@10.0.0.5:6379/2' } });
    expect(s.redis).toBe('redis://:s3cretRedisPw@10.0.0.5:6379/2');
    expect(s.agents).toEqual({ heartbeatSec: 5, lostAfterSec: 20 });
    expect(describeRedis(s.redis!)).toBe('redis://:***@10.0.0.5:6379/2');
    expect(loadSettings({ env: { CLAB_BOT_DB: pg } }).redis).toBeUndefined();
    const bad = failure(() => loadSettings({ env: { CLAB_BOT_DB: pg, CLAB_BOT_REDIS: 'http://user:s3cretRedisPw@x' } }));
    expect(bad.key).toBe('CLAB_BOT_REDIS');
    expect(bad.message).not.toContain('s3cretRedisPw');
    expect(bad.message).toContain('redis://');
  });

  it('CLAB_BOT_REDIS with SQLite is refused: agents register in a shared PostgreSQL database', () => {
    const e = failure(() => loadSettings({ env: { CLAB_BOT_DB: 'sqlite:/tmp/x.db', CLAB_BOT_REDIS: 'redis://127.0.0.1:6379' } }));
    expect(e.key).toBe('CLAB_BOT_REDIS');
    expect(e.message).toContain('CLAB_BOT_DB=postgres://');
  });

  it('agents: heartbeat and lost-after from the file or the environment; lost-after must be at least two heartbeats', () => {
    const file = withFile('db: postgres://u:p@h/db\nredis: redis://h:6379\nagents: { heartbeat_sec: 2, lost_after_sec: 9 }\n');
    expect(loadSettings({ configPath: file, env: {} }).agents).toEqual({ heartbeatSec: 2, lostAfterSec: 9 });
    expect(loadSettings({ configPath: file, env: { CLAB_BOT_AGENT_HEARTBEAT_SEC: '0.5', CLAB_BOT_AGENT_LOST_AFTER_SEC: '3' } }).agents).toEqual({
      heartbeatSec: 0.5,
      lostAfterSec: 3,
    });
    expect(failure(() => loadSettings({ configPath: file, env: { CLAB_BOT_AGENT_LOST_AFTER_SEC: '3' } })).key).toBe('agents.lost_after_sec');
  });
});
