/**
 * The SSH side both Cisco simulators share: a server whose shells each run one CLI on the
 * terminal, with the device's login check, faults and a count of open shells.
 */
import { secretEquals, startSshServer, type SshServer } from '../ssh-server.js';
import { runTerminal, type CliShell } from './terminal.js';

/** The faults every Cisco simulator takes (each device adds its own, e.g. commitError, busy). */
export interface CiscoFaults {
  latencyMs: number;
  authFail: boolean;
  /** The next command matching this destroys the connection after the device acted on it (one-shot). */
  dropOnCommand: RegExp | null;
}

export interface CiscoServeOptions {
  readonly host: string | undefined;
  readonly port: number | undefined;
  readonly username: string;
  readonly password: string;
  /** The device's faults now (tests change them while it runs). */
  readonly faults: () => CiscoFaults;
  /** A CLI for one shell; `closed` runs when that shell ends. */
  readonly openCli: (username: string) => { readonly cli: CliShell; readonly closed?: () => void };
  /** Text before the first prompt. */
  readonly banner: string;
}

export async function serveCiscoCli(o: CiscoServeOptions): Promise<{ server: SshServer; shells: () => number }> {
  let shells = 0;
  const server = await startSshServer({
    host: o.host ?? '127.0.0.1',
    port: o.port ?? 0,
    ident: 'Cisco-1.25',
    checkLogin: (user, password) => !o.faults().authFail && secretEquals(user, o.username) && secretEquals(password, o.password),
    onShell: (session) => {
      const { cli, closed } = o.openCli(session.username);
      shells++;
      runTerminal({
        stream: session.stream,
        shell: cli,
        faults: o.faults,
        dropped: () => {
          o.faults().dropOnCommand = null;
        },
        drop: session.drop,
        banner: o.banner,
        onClose: () => {
          shells--;
          closed?.();
        },
      });
    },
  });
  return { server, shells: () => shells };
}
