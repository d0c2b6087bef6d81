/**
 * Juniper's own client library (PyEZ, over ncclient) against the Junos simulator. If PyEZ rejects
 * the simulator, the simulator is wrong. Skipped, with a notice, where PyEZ is not installed
 * (.ci/run installs python3-junos-eznc).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJunosSim, type JunosSim, type JunosSimOptions } from '../../src/sim/junos/index.js';
import { clientAvailability, PYEZ, runConformance, type ClientRun } from '../helpers/python-clients.js';
import { availableOrSkip } from '../helpers/requirements.js';

const availability = clientAvailability(PYEZ);
availableOrSkip('PyEZ conformance tests', availability);

const CONFIG = `system {
    host-name pyez-r1;
    services {
        netconf {
            ssh;
        }
    }
}
interfaces {
    ge-0/0/0 {
        unit 0 {
            family inet {
                address 10.1.1.0/31;
            }
        }
    }
}
snmp {
    contact lab;
}
protocols {
    ospf {
        area 0.0.0.0 {
            interface ge-0/0/0.0;
        }
    }
}
`;

type Steps = Record<string, Record<string, unknown>>;

const variants: { name: string; opts: Partial<JunosSimOptions> }[] = [
  { name: 'chunked framing (base:1.1)', opts: {} },
  { name: ']]>]]> framing, rfc-compliant nc: prefixes', opts: { chunkedFraming: false, rfcCompliant: true } },
];

describe.skipIf(!availability.available)('PyEZ against the Junos simulator', () => {
  for (const variant of variants) {
    describe(variant.name, () => {
      let sim: JunosSim;
      let run: ClientRun;
      let steps: Steps;

      beforeAll(async () => {
        sim = await startJunosSim({ hostname: 'pyez-r1', serial: 'VM5F1A2B3C4D', initialConfig: CONFIG, minuteMs: 60_000, ...variant.opts });
        run = await runConformance(PYEZ, ['--host', sim.host, '--port', String(sim.port)]);
        steps = (run.report?.['steps'] ?? {}) as Steps;
      }, 180_000);

      afterAll(async () => {
        await sim.close();
      });

      it('runs the whole script without an exception', () => {
        expect(run.report, `no JSON from PyEZ; stderr:\n${run.stderr}`).toBeDefined();
        expect(run.report?.['ok'], `PyEZ failed at step ${String(run.report?.['step'])}: ${String(run.report?.['error'])}`).toBe(true);
        expect(run.exitCode).toBe(0);
      });

      it('opens the device and gathers facts', () => {
        expect(steps['open']).toEqual({ connected: true });
        expect(steps['facts']).toMatchObject({
          hostname: 'pyez-r1',
          model: 'VMX',
          version: '23.2R1.14',
          serialnumber: 'VM5F1A2B3C4D',
          personality: 'MX',
          virtual: true,
          master: 'RE0',
          RE0_model: 'RE-VMX',
          switch_style: 'BRIDGE_DOMAIN',
          vc_capable: false,
          srx_cluster: false,
          HOME: '/var/home/admin',
          '2RE': false,
        });
        expect(steps['facts']?.['current_re']).toContain('re0');
        expect(steps['facts']?.['uptime']).toBeGreaterThan(3 * 3600 - 5);
      });

      it('runs CLI commands and RPCs', () => {
        expect(steps['cli']?.['show_version']).toMatch(/^\s*Hostname: pyez-r1\nModel: vmx\nJunos: 23\.2R1\.14\n/);
        expect(steps['cli']?.['bad_command']).toMatch(/invalid command: show flux capacitor: .*syntax error, expecting <command>: flux/);
        expect(steps['cli']?.['rpc_host_name']).toBe('pyez-r1');
      });

      it('load merge: diff, commit_check and commit with a comment', () => {
        expect(steps['merge']).toEqual({ diff: '\n[edit snmp]\n+  location pyez-merge;\n', check: true, commit: true });
      });

      it('load override replaces the configuration', () => {
        expect(steps['override']?.['diff']).toBe('\n[edit snmp]\n-  location pyez-merge;\n+  location pyez-override;\n');
      });

      it('load set, diff and pdiff, then no diff once committed', () => {
        expect(steps['set']?.['diff']).toBe('\n[edit system]\n+  domain-name pyez.example;\n[edit snmp]\n-  location pyez-override;\n');
        expect(steps['set']?.['pdiff']).toBe('\n[edit system]\n+  domain-name pyez.example;\n[edit snmp]\n-  location pyez-override;\n\n');
        expect(steps['set']?.['empty_diff_after_commit']).toBeNull();
      });

      it('commit confirmed, then a plain commit confirms it', () => {
        expect(steps['confirmed']?.['pending_comment']).toBe('commit confirmed, rollback in 1mins');
      });

      it('rollback 1 and commit', () => {
        expect(steps['rollback']?.['diff']).toBe('\n[edit snmp]\n-  location rollback-me;\n+  location confirm-me;\n');
      });

      it('a syntax error raises ConfigLoadError naming the bad element', () => {
        expect(steps['load_error']).toMatchObject({ raised: 'ConfigLoadError', bad_element: 'system1' });
      });

      it('an unknown statement inside system { } raises ConfigLoadError naming it and its hierarchy', () => {
        expect(steps['unknown_statement']).toEqual({
          raised: 'ConfigLoadError',
          message: 'error: syntax error',
          bad_element: 'invalid-statement-xyz',
          edit_path: '[edit system]',
        });
      });

      it('a statement without its value raises ConfigLoadError', () => {
        expect(steps['missing_value']).toEqual({ raised: 'ConfigLoadError', message: 'error: missing argument.', bad_element: 'host-name' });
      });

      it('a failing commit check raises CommitError with the edit path', () => {
        expect(steps['commit_error']).toEqual({
          raised: 'CommitError',
          edit_path: '[edit protocols ospf area 0.0.0.0]',
          bad_element: 'interface ge-0/0/9.0',
        });
      });

      it('Config(mode="private") loads and commits in a private candidate', () => {
        expect(steps['private']?.['diff']).toBe('\n[edit snmp]\n-  location confirm-me;\n+  location private-pyez;\n');
      });

      it('a second session holding the lock makes lock() raise LockError', () => {
        expect(steps['exclusive_conflict']?.['raised']).toBe('LockError');
        expect(String(steps['exclusive_conflict']?.['message'])).toContain('configuration database locked by');
        expect(steps['close']).toEqual({ connected: false });
      });

      it('leaves the device with the committed result and the comments in its commit history', () => {
        const comments = sim.commitHistory().map((c) => c.comment);
        expect(comments.slice(0, 8)).toEqual([
          'pyez private',
          'pyez rollback',
          'pyez before rollback',
          'pyez confirm',
          'pyez confirmed',
          'pyez set',
          'pyez override',
          'pyez merge',
        ]);
        expect(sim.commitHistory().map((c) => c.sequence)).toEqual(comments.map((_, i) => i));
        expect(sim.commitHistory()[0]).toMatchObject({ user: 'admin', client: 'netconf' });
        expect(sim.runningConfig()).toContain('domain-name pyez.example;');
        expect(sim.runningConfig()).toContain('location private-pyez;');
        expect(sim.runningConfig()).not.toContain('rollback-me');
        expect(sim.activeSessions()).toBe(0);
      });
    });
  }
});
