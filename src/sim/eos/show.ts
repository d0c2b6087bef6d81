/**
 * `show` commands of the EOS simulator, in both eAPI formats: the JSON models (`show version`'s
 * modelName/version/serialNumber/uptime, `interfaceStatuses`, `vrfs.default.instList`) and the
 * text EOS prints.
 */
import { configJson, type ConfigNode } from './config.js';
import type { EosDevice } from './device.js';

export interface ShowOutput {
  readonly json: unknown;
  readonly text: string;
  /** Text-only command: JSON format fails with 1003 (pyeapi then retries in text). */
  readonly unconverted?: boolean;
}

function pad(s: string, n: number): string {
  return s.length >= n ? `${s} ` : s.padEnd(n);
}

function uptimeText(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return `${d} days, ${h} hours and ${m} minutes`;
}

function version(dev: EosDevice): ShowOutput {
  const o = dev.opts;
  const uptime = (dev.opts.clock.now() - dev.bootTime.getTime()) / 1000;
  const build = `${o.version}-36401836.${o.version.replace(/\./g, '').toLowerCase()} (engineering build)`;
  const json = {
    mfgName: 'Arista',
    modelName: o.model,
    hardwareRevision: '',
    serialNumber: o.serial,
    systemMacAddress: o.systemMac,
    hwMacAddress: '00:00:00:00:00:00',
    configMacAddress: '00:00:00:00:00:00',
    version: build,
    architecture: 'x86_64',
    internalVersion: build.replace(' (engineering build)', ''),
    internalBuildId: 'a2ab6c4d-5e2f-4b0c-9d7e-1f3a5b7c9d0e',
    imageFormatVersion: '1.0',
    imageOptimization: 'None',
    cEosToolsVersion: '1.1',
    kernelVersion: '6.1.0-26-amd64',
    bootupTimestamp: dev.bootTime.getTime() / 1000,
    uptime,
    memTotal: 8_117_064,
    memFree: 5_012_332,
    isIntlVersion: false,
  };
  const mac = o.systemMac.replace(/:/g, '').replace(/(.{4})(?!$)/g, '$1.');
  const text = [
    `Arista ${o.model}`,
    'Hardware version: ',
    `Serial number: ${o.serial}`,
    'Hardware MAC address: 0000.0000.0000',
    `System MAC address: ${mac}`,
    '',
    `Software image version: ${build}`,
    'Architecture: x86_64',
    `Internal build version: ${json.internalVersion}`,
    `Internal build ID: ${json.internalBuildId}`,
    'Image format version: 1.0',
    'Image optimization: None',
    '',
    'cEOS tools version: 1.1',
    `Kernel version: ${json.kernelVersion}`,
    '',
    `Uptime: ${uptimeText(uptime)}`,
    `Total memory: ${json.memTotal} kB`,
    `Free memory: ${json.memFree} kB`,
    '',
  ].join('\n');
  return { json, text };
}

function interfaces(dev: EosDevice): ConfigNode[] {
  return dev.running.filter((n) => n.line.startsWith('interface '));
}

function shortName(name: string): string {
  return name.replace(/^Ethernet/, 'Et').replace(/^Management/, 'Ma').replace(/^Loopback/, 'Lo').replace(/^Port-Channel/, 'Po').replace(/^Vlan/, 'Vl');
}

function child(n: ConfigNode, prefix: string): string | undefined {
  return n.children.find((c) => c.line.startsWith(prefix))?.line.slice(prefix.length);
}

function interfacesStatus(dev: EosDevice): ShowOutput {
  const rows = interfaces(dev).map((n) => {
    const name = n.line.slice('interface '.length);
    const shut = n.children.some((c) => c.line === 'shutdown');
    const routed = /^(Loopback|Management|Vlan)/.test(name) || n.children.some((c) => c.line === 'no switchport');
    return { name, shut, routed, description: child(n, 'description ') ?? '' };
  });
  const json = {
    interfaceStatuses: Object.fromEntries(
      rows.map((r) => [
        r.name,
        {
          vlanInformation: r.routed
            ? { interfaceMode: 'routed', interfaceForwardingModel: 'routed' }
            : { interfaceMode: 'bridged', vlanId: 1, interfaceForwardingModel: 'bridged' },
          bandwidth: r.name.startsWith('Loopback') ? 0 : 1_000_000_000,
          interfaceType: r.name.startsWith('Ethernet') ? 'EbraTestPhyPort' : r.name.startsWith('Management') ? '10/100/1000' : '',
          description: r.description,
          autoNegotiateActive: r.name.startsWith('Management'),
          duplex: 'duplexFull',
          linkStatus: r.shut ? 'disabled' : 'connected',
          lineProtocolStatus: r.shut ? 'down' : 'up',
        },
      ]),
    ),
  };
  const lines = ['Port       Name          Status       Vlan     Duplex Speed  Type            Flags Encapsulation'];
  for (const r of rows) {
    if (r.name.startsWith('Loopback')) continue;
    lines.push(
      [
        pad(shortName(r.name), 11),
        pad(r.description.slice(0, 13), 14),
        pad(r.shut ? 'disabled' : 'connected', 13),
        pad(r.routed ? 'routed' : '1', 9),
        pad('full', 7),
        pad('1G', 7),
        r.name.startsWith('Ethernet') ? 'EbraTestPhyPort' : '10/100/1000',
      ]
        .join('')
        .trimEnd(),
    );
  }
  return { json, text: `${lines.join('\n')}\n` };
}

function ospfNeighbors(dev: EosDevice): ShowOutput {
  const ospf = dev.running.find((n) => /^router ospf \d+$/.test(n.line));
  const instance = ospf?.line.split(' ')[2] ?? '1';
  const running = (ifName: string): boolean => {
    const intf = dev.running.find((n) => n.line === `interface ${ifName}`);
    return intf !== undefined && intf.children.some((c) => c.line.startsWith('ip ospf area ')) && !intf.children.some((c) => c.line === 'shutdown');
  };
  const up = ospf === undefined ? [] : dev.opts.neighbors.filter((n) => running(n.interface));
  const json = {
    vrfs: {
      default: {
        instList: {
          [instance]: {
            ospfNeighborEntries: up.map((n) => ({
              routerId: n.routerId,
              priority: 0,
              drState: 'DROTHER',
              interfaceName: n.interface,
              adjacencyState: 'full',
              inactivity: dev.opts.clock.now() / 1000 + 33,
              interfaceAddress: n.address,
              options: { multitopologyCapability: false, externalRoutingCapability: true, dontDownBit: false },
            })),
          },
        },
      },
    },
  };
  const lines = ['Neighbor ID     Instance VRF      Pri State                  Dead Time   Address         Interface'];
  for (const n of up) {
    lines.push(
      `${pad(n.routerId, 16)}${pad(instance, 9)}${pad('default', 9)}${pad('0', 4)}${pad('FULL', 23)}${pad('00:00:33', 12)}${pad(n.address, 16)}${n.interface}`,
    );
  }
  return { json, text: `${lines.join('\n')}\n` };
}

function sessions(dev: EosDevice, detail: boolean): ShowOutput {
  const all = [...dev.sessions.values()];
  const json = {
    sessions: Object.fromEntries(
      all.map((s) => [
        s.name,
        {
          state: s.state,
          commitUser: s.user,
          description: s.description,
          instances: {},
          ...(s.timerExpiry === undefined ? {} : { commitTimerExpiry: s.timerExpiry.getTime() / 1000 }),
        },
      ]),
    ),
    maxSavedSessions: 1,
    maxOpenSessions: 5,
  };
  const lines = ['Maximum number of completed sessions: 1', 'Maximum number of pending sessions: 5', ''];
  if (all.length > 0) {
    lines.push(`  ${pad('Name', 40)}${pad('State', 21)}${pad('User', 10)}${detail ? 'Description' : ''}`);
    lines.push(`  ${'-'.repeat(39)} ${'-'.repeat(20)} ${'-'.repeat(9)}${detail ? ` ${'-'.repeat(11)}` : ''}`);
    for (const s of all) {
      const state = s.state === 'pendingCommitTimer' ? 'pending commit timer' : s.state;
      lines.push(`  ${pad(s.name, 40)}${pad(state, 21)}${pad(s.user, 10)}${detail ? s.description : ''}`.trimEnd());
    }
  }
  return { json, text: `${lines.join('\n')}\n` };
}

function checkpoints(dev: EosDevice): ShowOutput {
  const all = [...dev.checkpoints.entries()];
  const json = {
    checkpoints: Object.fromEntries(all.map(([name, c]) => [name, { fileDate: c.time.getTime() / 1000, fileUser: c.user }])),
  };
  const lines = ['Maximum number of checkpoints: 20', 'Filename                         Date                   User'];
  for (const [name, c] of all) lines.push(`${pad(name, 33)}${pad(c.time.toISOString().slice(0, 19).replace('T', ' '), 23)}${c.user}`);
  return { json, text: `${lines.join('\n')}\n`, unconverted: false };
}

/** Answers a resolved `show` command (words after `show`), or undefined when the simulator lacks it. */
export function showCommand(dev: EosDevice, words: readonly string[]): ShowOutput | undefined {
  const key = words.join(' ');
  const header = `! Command: show running-config\n! device: ${dev.hostname} (${dev.opts.model}, EOS-${dev.opts.version})\n`;
  switch (key) {
    case 'version':
    case 'version detail':
      return version(dev);
    case 'hostname':
      return { json: { hostname: dev.hostname, fqdn: dev.hostname }, text: `Hostname: ${dev.hostname}\nFQDN:     ${dev.hostname}\n` };
    case 'clock':
      return { json: { utcTime: dev.opts.clock.now() / 1000, localTime: {} }, text: `${dev.now().toUTCString()}\nTimezone: UTC\n` };
    case 'interfaces status':
      return interfacesStatus(dev);
    case 'ip ospf neighbor':
      return ospfNeighbors(dev);
    case 'running-config':
    case 'running-config all':
      return { json: configJson(dev.running), text: header + dev.runningText() };
    case 'startup-config':
      return { json: configJson(dev.startup), text: header.replace('running', 'startup') + dev.runningText(dev.startup) };
    case 'configuration sessions':
      return sessions(dev, false);
    case 'configuration sessions detail':
      return sessions(dev, true);
    case 'configuration checkpoints':
      return checkpoints(dev);
    default:
      return undefined;
  }
}
