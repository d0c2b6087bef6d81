import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadSettings } from '../../../src/settings.js';
import { REPO } from '../../helpers/cli.js';

/** The environment variables the settings read (`env.NAME` in src/settings.ts): the only ones worth setting. */
function settingNames(): Set<string> {
  const text = readFileSync(join(REPO, 'src', 'settings.ts'), 'utf8');
  return new Set([...text.matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]!));
}

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  network_mode?: string;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
}

const compose = parse(readFileSync(join(REPO, 'deploy', 'compose.yaml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const bots = Object.entries(compose.services).filter(([, s]) => s.build !== undefined);

describe('deploy/compose.yaml', () => {
  it('runs PostgreSQL, Redis, two serve replicas and one agent, the bot built from the repository Dockerfile', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['agent', 'postgres', 'redis', 'serve-1', 'serve-2']);
    expect(bots.map(([name]) => name).sort()).toEqual(['agent', 'serve-1', 'serve-2']);
    for (const [, s] of bots) {
      expect(s.build).toEqual({ context: '..', dockerfile: 'Dockerfile' });
      expect(readFileSync(join(REPO, 'deploy', s.build!.context, s.build!.dockerfile), 'utf8')).toMatch(/ENTRYPOINT \["node", "dist\/src\/cli.js"\]/);
      expect(s.depends_on).toEqual({ postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
    }
    expect(compose.services['serve-1']!.command).toEqual(['serve']);
    expect(compose.services['serve-2']!.command).toEqual(['serve']);
    expect(compose.services.agent!.command?.slice(0, 2)).toEqual(['agent', '--name']);
  });

  it('gives every service a health check, and the bot the CLI health verb', () => {
    for (const [name, s] of Object.entries(compose.services)) expect(s.healthcheck?.test, name).toBeDefined();
    for (const [, s] of bots) expect(s.healthcheck!.test).toEqual(['CMD', 'node', 'dist/src/cli.js', 'health']);
    expect(compose.services.postgres!.healthcheck!.test.join(' ')).toContain('pg_isready');
    expect(compose.services.redis!.healthcheck!.test.join(' ')).toContain('ping');
  });

  it('sets only real settings on the bot, with PostgreSQL and Redis for all three', () => {
    const known = settingNames();
    for (const [name, s] of bots) {
      for (const key of Object.keys(s.environment ?? {})) expect(known.has(key), `${name}: ${key} is not a setting`).toBe(true);
      expect(s.environment!.CLAB_BOT_DB, name).toMatch(/^postgres:\/\//);
      expect(s.environment!.CLAB_BOT_REDIS, name).toMatch(/^redis:\/\//);
    }
  });

  it('puts the agent in the host network with the docker socket and the lab directories, the databases on loopback', () => {
    const agent = compose.services.agent!;
    expect(agent.network_mode).toBe('host');
    expect(agent.volumes).toContain('/var/run/docker.sock:/var/run/docker.sock');
    expect(agent.volumes?.some((v) => v.endsWith(':/labs:ro'))).toBe(true);
    expect(agent.environment!.CLAB_LABS).toBe('/labs');
    expect(agent.environment!.CLAB_BOT_DB).toContain('@127.0.0.1:5432/');
    expect(agent.environment!.CLAB_BOT_REDIS).toContain('@127.0.0.1:6379');
    for (const s of [compose.services.postgres!, compose.services.redis!]) for (const p of s.ports ?? []) expect(p).toMatch(/^127\.0\.0\.1:/);
  });

  it("its settings file loads as every bot container reads it, with the compose file's environment", () => {
    const env = { ...compose.services.agent!.environment, CLAB_BOT_CONFIG: join(REPO, 'deploy', 'etc', 'clab-bot.yaml'), CLAB_LABS: '' };
    const settings = loadSettings({ env: env as NodeJS.ProcessEnv, cwd: '/' });
    expect(settings.redis).toMatch(/^redis:\/\//);
    expect(settings.limits.shared_slot_lease_sec).toBe(30);
  });
});
