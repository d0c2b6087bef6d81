/**
 * Arista's own client library (pyeapi) against the EOS eAPI simulator, over HTTPS with the
 * simulator's self-signed certificate and over plain HTTP. If pyeapi rejects the simulator, the
 * simulator is wrong. Where pyeapi is missing the tests skip with a notice, except under CI,
 * where a missing pyeapi fails the run (.ci/run installs python3-pyeapi).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEosSim, type EosSim } from '../../src/sim/eos/index.js';
import { clientAvailability, PYEAPI, runConformance, type ClientRun } from '../helpers/python-clients.js';
import { availableOrSkip } from '../helpers/requirements.js';

const available = availableOrSkip('pyeapi conformance tests', clientAvailability(PYEAPI));

type Steps = Record<string, Record<string, unknown>>;

describe.skipIf(!available)('pyeapi against the EOS simulator', () => {
  for (const transport of ['https', 'http'] as const) {
    describe(transport, () => {
      let sim: EosSim;
      let run: ClientRun;
      let steps: Steps;

      beforeAll(async () => {
        sim = await startEosSim({
          hostname: 'ceos1',
          serial: 'A1B2C3D4E5F60718293A4B5C6D7E8F90',
          tls: transport === 'https',
          neighbors: [{ interface: 'Ethernet1', address: '10.1.1.1', routerId: '10.255.0.2' }],
        });
        run = await runConformance(PYEAPI, ['--host', sim.host, '--port', String(sim.port), '--transport', transport]);
        steps = (run.report?.['steps'] ?? {}) as Steps;
      }, 180_000);

      afterAll(async () => {
        await sim.close();
      });

      it('runs the whole script without an exception', () => {
        expect(run.report, `no JSON from pyeapi; stderr:\n${run.stderr}`).toBeDefined();
        expect(run.report?.['ok'], `pyeapi failed at step ${String(run.report?.['step'])}: ${String(run.report?.['error'])}`).toBe(true);
        expect(run.exitCode).toBe(0);
      });

      it('connects and reads version and model from show version', () => {
        expect(steps['connect']).toEqual({ version: '4.32.0F-36401836.4320f (engineering build)', version_number: '4.32.0', model: 'cEOSLab' });
        expect(steps['enable']).toEqual({ modelName: 'cEOSLab', serialNumber: 'A1B2C3D4E5F60718293A4B5C6D7E8F90', hostname: 'ceos1', encodings: ['json', 'json'] });
      });

      it('runs commands in json and text', () => {
        expect(steps['run_commands']).toEqual({ interfaces: ['Ethernet1', 'Ethernet2', 'Management0'], ospf_instances: ['1'], text_first_line: 'Arista cEOSLab' });
      });

      it('configures with config() (configure terminal applies at once)', () => {
        expect(steps['config']).toMatchObject({ ntp: true, description: true, section: 'interface Ethernet1\n   description pyeapi-was-here\n!' });
        expect(sim.runningConfig()).toContain('ntp server 10.0.0.99');
      });

      it('stages a configure session, shows its unified diff, commits it only on commit', () => {
        const session = steps['session'] as { diff: string; pending_listed: string; hostname_before_commit: boolean; hostname_after_commit: boolean };
        expect(session.diff).toMatch(/^--- system:\/running-config\n\+\+\+ session:\/[0-9a-f-]{36}-session-config\n@@ /);
        expect(session.diff).toContain('-hostname ceos1\n+hostname pyeapi-session\n');
        expect(session.diff).toContain(' interface Ethernet2\n+   description staged\n');
        expect(session).toMatchObject({ pending_listed: 'pending', hostname_before_commit: false, hostname_after_commit: true });
        expect(steps['session_abort']).toEqual({ left: false, running_unchanged: true });
      });

      it('drives a named session, commit timer and confirm through run_commands', () => {
        const rc = steps['session_via_run_commands'] as { diff: string; timer_state: string; confirmed_state: string };
        expect(rc.diff).toContain('+++ session:/rc1-session-config\n');
        expect(rc.diff).toContain('-   description staged\n+   description via-run-commands\n');
        expect(rc).toMatchObject({ timer_state: 'pendingCommitTimer', confirmed_state: 'completed' });
        expect(sim.runningConfig()).toContain('description via-run-commands');
        // Text-only command: JSON gives 1003, pyeapi's enable() falls back to text.
        expect(steps['unconverted']).toMatchObject({ encoding: 'text' });
      });

      it("raises CommandError with the device's message for the failing command", () => {
        const errors = steps['errors'] as Record<string, Record<string, unknown>>;
        expect(errors['bad_show']).toMatchObject({
          raised: 'CommandError',
          code: 1002,
          text: "CLI command 3 of 3 'show bogus' failed: invalid command",
          command_error: "Invalid input (at token 1: 'bogus')",
        });
        expect(errors['bad_show_text']).toMatchObject({ raised: 'CommandError', code: 1002, command_error: "Invalid input (at token 1: 'bogus')" });
        expect(errors['bad_config']).toMatchObject({ raised: 'CommandError', code: 1002, command_error: "Invalid input (at token 0: 'frobnicate')" });
        expect(errors['abbreviation_without_autocomplete']).toMatchObject({ raised: 'CommandError', code: 1002 });
        expect(steps['autocomplete']).toEqual({ modelName: 'cEOSLab' });
      });

      it('refuses a bad password with HTTP 401 (pyeapi ConnectionError)', () => {
        expect(steps['bad_login']).toMatchObject({ raised: 'ConnectionError' });
        expect(String(steps['bad_login']?.['message'])).toMatch(/^Unauthorized/);
      });
    });
  }
});
