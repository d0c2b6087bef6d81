import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigPathError, deviceFileProblem, readConfigFile } from '../../../src/ops/config-file.js';
import { makeNode } from '../../helpers/nodes.js';

/**
 * `config --file PATH` may read only inside the target lab's directory or configs_dir, so nobody
 * can read the bot host's files through a diff. Real files, directories and symlinks in a temp dir:
 *
 *   root/
 *     secrets/host.key          outside every allowed directory
 *     labs/dc1/                 lab dc1's directory (holds dc1.clab.yml)
 *       ok.conf, sub/deep.conf, same.conf, differs.conf, huge.conf
 *       link-in.conf -> ok.conf           link-out.conf -> ../../secrets/host.key
 *       link-dir -> ../../secrets          a-dir/
 *     labs/dc2/                 lab dc2's directory
 *       same.conf (same text as dc1's), differs.conf (other text)
 *     configs/                  configs_dir
 *       shared.conf, link-out.conf -> ../secrets/host.key
 */
describe('readConfigFile: --file confinement', () => {
  let root: string;
  let dc1: string;
  let dc2: string;
  let configs: string;
  let secret: string;
  const OK = 'interfaces {\n    ge-0/0/0 {\n        description "to core";\n    }\n}\n';
  const SECRET = '-----BEGIN OPENSSH PRIVATE KEY-----\nhost key of the bot\n-----END OPENSSH PRIVATE KEY-----\n';

  beforeAll(() => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'clab-config-file-')));
    dc1 = join(root, 'labs', 'dc1');
    dc2 = join(root, 'labs', 'dc2');
    configs = join(root, 'configs');
    for (const d of [join(root, 'secrets'), join(dc1, 'sub'), join(dc1, 'a-dir'), dc2, configs]) mkdirSync(d, { recursive: true });
    secret = join(root, 'secrets', 'host.key');
    writeFileSync(secret, SECRET);
    writeFileSync(join(dc1, 'dc1.clab.yml'), 'name: dc1\n');
    writeFileSync(join(dc1, 'ok.conf'), OK);
    writeFileSync(join(dc1, 'sub', 'deep.conf'), 'system { host-name deep; }\n');
    writeFileSync(join(dc1, 'same.conf'), OK);
    writeFileSync(join(dc2, 'same.conf'), OK);
    writeFileSync(join(dc1, 'differs.conf'), 'system { host-name one; }\n');
    writeFileSync(join(dc2, 'differs.conf'), 'system { host-name two; }\n');
    writeFileSync(join(dc1, 'huge.conf'), '');
    truncateSync(join(dc1, 'huge.conf'), 2 * 1024 * 1024 + 1);
    writeFileSync(join(dc1, 'just-right.conf'), 'x'.repeat(2 * 1024 * 1024));
    symlinkSync('ok.conf', join(dc1, 'link-in.conf'));
    symlinkSync('../../secrets/host.key', join(dc1, 'link-out.conf'));
    symlinkSync('../../secrets', join(dc1, 'link-dir'));
    writeFileSync(join(configs, 'shared.conf'), 'system { location building b7; }\n');
    symlinkSync('../secrets/host.key', join(configs, 'link-out.conf'));
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  const r1 = () => ({ ...makeNode({ name: 'r1', host: '127.0.0.1', lab: 'dc1' }), labDir: dc1 });
  const s1 = () => ({ ...makeNode({ name: 's1', host: '127.0.0.1', lab: 'dc2' }), labDir: dc2 });
  const sha = (text: string) => createHash('sha256').update(text).digest('hex');

  /** The refusal for PATH; it must never carry the outside file's content. */
  function refusal(path: string, configsDir?: string): ConfigPathError {
    let thrown: unknown;
    try {
      readConfigFile(path, [r1()], configsDir);
    } catch (err) {
      thrown = err;
    }
    expect(thrown, `${path} should be refused`).toBeInstanceOf(ConfigPathError);
    const error = thrown as ConfigPathError;
    expect(error.code).toBe('config_path');
    expect(error.message).not.toContain('host key of the bot');
    return error;
  }

  describe('allowed', () => {
    it('a path relative to the lab directory, with its content and sha256', () => {
      const file = readConfigFile('ok.conf', [r1()], undefined);
      expect(file).toEqual({ path: join(dc1, 'ok.conf'), content: OK, sha256: sha(OK) });
    });

    it('a subdirectory, a `./` prefix, and `..` that stays inside', () => {
      expect(readConfigFile('sub/deep.conf', [r1()], undefined).content).toBe('system { host-name deep; }\n');
      expect(readConfigFile('./ok.conf', [r1()], undefined).path).toBe(join(dc1, 'ok.conf'));
      expect(readConfigFile('sub/../ok.conf', [r1()], undefined).path).toBe(join(dc1, 'ok.conf'));
    });

    it('an absolute path inside the lab directory', () => {
      expect(readConfigFile(join(dc1, 'ok.conf'), [r1()], undefined).content).toBe(OK);
    });

    it('a symlink that points inside the lab directory (read through to its target)', () => {
      expect(readConfigFile('link-in.conf', [r1()], undefined)).toEqual({ path: join(dc1, 'ok.conf'), content: OK, sha256: sha(OK) });
    });

    it('a file in configs_dir, relative or absolute', () => {
      expect(readConfigFile('shared.conf', [r1()], configs).path).toBe(join(configs, 'shared.conf'));
      expect(readConfigFile(join(configs, 'shared.conf'), [r1()], configs).content).toBe('system { location building b7; }\n');
    });

    it('one file for two labs when both directories hold the same text', () => {
      expect(readConfigFile('same.conf', [r1(), s1()], undefined).sha256).toBe(sha(OK));
    });

    it('a file of exactly the size limit', () => {
      expect(readConfigFile('just-right.conf', [r1()], undefined).content).toHaveLength(2 * 1024 * 1024);
    });
  });

  describe('refused', () => {
    it('`../` out of the lab directory', () => {
      expect(refusal('../../secrets/host.key').message).toBe(`../../secrets/host.key is outside the lab directory ${dc1}: config files must live inside it or in configs_dir`);
      expect(refusal('sub/../../../secrets/host.key').message).toContain('is outside the lab directory');
      expect(refusal('../dc2/same.conf').message).toContain('is outside the lab directory');
    });

    it('an absolute path elsewhere on the host', () => {
      expect(refusal(secret).message).toBe(`${secret} is outside the lab directory ${dc1}: config files must live inside it or in configs_dir`);
      expect(refusal('/etc/passwd').message).toContain('/etc/passwd is outside the lab directory');
    });

    it('a symlink that points out, to a file or through a linked directory', () => {
      expect(refusal('link-out.conf').message).toBe(`link-out.conf is a link that points outside ${dc1}: refused`);
      expect(refusal('link-dir/host.key').message).toBe(`link-dir/host.key is a link that points outside ${dc1}: refused`);
    });

    it('a symlink out of configs_dir too', () => {
      expect(refusal('link-out.conf', configs).message).toMatch(/is a link that points outside/);
    });

    it('a file whose text differs between two target labs, naming both', () => {
      let thrown: unknown;
      try {
        readConfigFile('differs.conf', [r1(), s1()], undefined);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(ConfigPathError);
      expect((thrown as Error).message).toBe(
        `differs.conf differs between the target labs (${join(dc1, 'differs.conf')}, ${join(dc2, 'differs.conf')}): target one lab at a time`,
      );
    });

    it('a file over the size limit', () => {
      expect(refusal('huge.conf').message).toBe(`huge.conf is ${2 * 1024 * 1024 + 1} bytes; config files over ${2 * 1024 * 1024} bytes are refused`);
    });

    it('a directory, a name with a NUL byte, and a file that is not there', () => {
      expect(refusal('a-dir').message).toBe('a-dir is not a regular file');
      expect(refusal('ok.conf\0../../secrets/host.key').message).toBe('the file name contains a NUL byte');
      expect(refusal('missing.conf', configs).message).toBe(`config file missing.conf not found in ${dc1}, ${configs}`);
    });

    it('tells the user where config files may live, but not for a file that is too large or not a file', () => {
      expect(refusal('../../secrets/host.key').hint).toBe('put the file in the lab directory (next to the .clab.yml) or in the configs_dir of clab-bot.yaml');
      expect(refusal('huge.conf').hint).toBeUndefined();
      expect(refusal('a-dir').hint).toBeUndefined();
    });
  });

  describe('the trusted terminal (localFrom: its working directory)', () => {
    it('reads a file in the working directory, an absolute path anywhere, and still finds lab-directory files', () => {
      const cwd = join(root, 'secrets');
      expect(readConfigFile('host.key', [r1()], undefined, { localFrom: cwd }).content).toBe(SECRET);
      expect(readConfigFile(secret, [r1()], undefined, { localFrom: '/' }).path).toBe(secret);
      expect(readConfigFile('ok.conf', [r1()], undefined, { localFrom: cwd }).path).toBe(join(dc1, 'ok.conf'));
    });

    it('still refuses a file too large or not a file, without the lab-directory hint', () => {
      let thrown: unknown;
      try {
        readConfigFile(join(dc1, 'huge.conf'), [r1()], undefined, { localFrom: root });
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(ConfigPathError);
      expect((thrown as ConfigPathError).message).toMatch(/bytes; config files over 2097152 bytes are refused/);
      expect((thrown as ConfigPathError).hint).toBeUndefined();
      expect(() => readConfigFile(root, [r1()], undefined, { localFrom: '/' })).toThrow(/is not a regular file/);
    });
  });
});

/**
 * For a policy subject (Slack, or a terminal bound to a Slack user), the lab directory holds more
 * than configurations: containerlab's generated clab-<lab>/ (nornir inventory with passwords, TLS
 * keys), hidden files (.env) and key material. Each is refused; the trusted terminal is not restricted here.
 */
describe('readConfigFile: sensitive files in the lab directory (restricted requesters)', () => {
  let lab: string;
  const CONF = 'system {\n    host-name r9;\n}\n';
  const files: Record<string, string> = {
    'clab-dc1/nornir-simple-inventory.yml': 'r1:\n  password: admin@123\n',
    'clab-dc1/.tls/r1/r1.key': '-----BEGIN RSA PRIVATE KEY-----\nx\n-----END RSA PRIVATE KEY-----\n',
    'clab-dc1/r1/config/juniper.conf': CONF,
    '.env': 'SLACK_BOT_TOKEN=xoxb-1\n',
    '.ssh/config': 'Host *\n',
    'keys/id_ed25519': 'not really a key\n',
    'certs/server.pem': CONF,
    'tls.key': CONF,
    'renamed.conf': '-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----\n',
    'ok.conf': CONF,
    'configs/clab-like-name.conf': CONF,
  };

  beforeAll(() => {
    lab = realpathSync(mkdtempSync(join(tmpdir(), 'clab-config-sensitive-')));
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(join(lab, rel, '..'), { recursive: true });
      writeFileSync(join(lab, rel), text);
    }
    symlinkSync(join(lab, 'clab-dc1', 'nornir-simple-inventory.yml'), join(lab, 'inventory-link.conf'));
  });
  afterAll(() => rmSync(lab, { recursive: true, force: true }));

  const node = () => ({ ...makeNode({ name: 'r1', host: '127.0.0.1', lab: 'dc1' }), labDir: lab });
  const read = (path: string, restricted = true) => readConfigFile(path, [node()], undefined, { restricted });

  it.each([
    ['clab-dc1/nornir-simple-inventory.yml', 'the directory containerlab generates'],
    ['clab-dc1/.tls/r1/r1.key', 'the directory containerlab generates'],
    ['clab-dc1/r1/config/juniper.conf', 'the directory containerlab generates'],
    ['./clab-dc1/../clab-dc1/nornir-simple-inventory.yml', 'the directory containerlab generates'],
    ['inventory-link.conf', 'the directory containerlab generates'],
    ['.env', 'hidden files'],
    ['.ssh/config', 'hidden files'],
    ['keys/id_ed25519', 'key material'],
    ['certs/server.pem', 'key material'],
    ['tls.key', 'key material'],
    ['renamed.conf', 'it holds a private key'],
  ])('refuses %s (%s)', (path, why) => {
    expect(() => read(path)).toThrow(ConfigPathError);
    expect(() => read(path)).toThrow(why);
  });

  it('still reads ordinary configurations, and names like clab-*.conf that are not the generated directory', () => {
    expect(read('ok.conf').content).toBe(CONF);
    expect(read('configs/clab-like-name.conf').content).toBe(CONF);
  });

  it('does not restrict the trusted terminal here (its operator reads the lab files anyway)', () => {
    expect(read('clab-dc1/r1/config/juniper.conf', false).content).toBe(CONF);
  });
});

describe('deviceFileProblem: --device-file is a path on the device unless the policy allows URLs', () => {
  it.each([
    ['http://169.254.169.254/latest/meta-data/', 'is a URL'],
    ['HTTPS://example.com/x.conf', 'is a URL'],
    ['ftp://10.0.0.1/x.conf', 'is a URL'],
    ['scp://user@10.0.0.1/x.conf', 'is a URL'],
    ['user@10.0.0.1:/tmp/x.conf', 'names another host'],
    ['re1:/var/tmp/x.conf', 'names another host'],
  ])('refuses %s', (path, why) => {
    expect(deviceFileProblem(path, false)).toContain(why);
    expect(deviceFileProblem(path, true)).toBeUndefined();
  });

  it('accepts paths on the device', () => {
    for (const path of ['/var/tmp/lab.conf', 'lab.conf', '/config/juniper.conf.gz']) expect(deviceFileProblem(path, false)).toBeUndefined();
  });
});
