/**
 * Text and XML renderings of the operational commands the simulator answers, shaped after real
 * Junos output (column layout of `show interfaces terse`, `show route`, element names of
 * get-software-information, get-route-engine-information, …).
 */
import { findPath, renderConfigText, type ConfigNode } from './config-tree.js';
import { junosTime, type JunosDevice } from './device.js';
import { interfaceTable, networkOf, ospfAdjacencies, ospfInterfaces, routeTable, type PhysicalInterface, type RouteEntry } from './oper-state.js';
import { x, type XNode } from './xml.js';

export function isSwitchModel(model: string): boolean {
  return /^(ex|qfx)/i.test(model);
}

function ns(dev: JunosDevice, suffix: string): string {
  return `http://xml.juniper.net/junos/${dev.version}/junos-${suffix}`;
}

function pad(s: string, n: number): string {
  return s.length >= n ? `${s} ` : s + ' '.repeat(n - s.length);
}

/** `02:58:00`, `1d 02:03:04`, `1w2d 03:04:05` as Junos prints durations. */
export function junosDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const w = Math.floor(s / 604800);
  const d = Math.floor((s % 604800) / 86400);
  const hms = [Math.floor((s % 86400) / 3600), Math.floor((s % 3600) / 60), s % 60].map((n) => String(n).padStart(2, '0')).join(':');
  if (w > 0) return `${w}w${d}d ${hms}`;
  if (d > 0) return `${d}d ${hms}`;
  return hms;
}

function uptimeSeconds(dev: JunosDevice): number {
  return Math.floor((Date.now() - dev.bootTime.getTime()) / 1000);
}

// ---------------------------------------------------------------------------------------------
// show version

function builds(dev: JunosDevice): { os: string; junos: string } {
  const m = /^(\d+)\.(\d+)([A-Z])(\d+)/.exec(dev.version);
  const tag = m === null ? 'junos' : `junos_${m[1]}${m[2]}_${(m[3] ?? 'r').toLowerCase()}${m[4]}`;
  return { os: '20230516.1e3fbd6_builder_stable_12', junos: `20230609.043827_builder_${tag}` };
}

function packages(dev: JunosDevice): { name: string; comment: string }[] {
  const b = builds(dev);
  const family = isSwitchModel(dev.model) ? 'ex' : 'mx';
  return [
    ['os-kernel', `JUNOS OS Kernel 64-bit  [${b.os}]`],
    ['os-libs', `JUNOS OS libs [${b.os}]`],
    ['os-runtime', `JUNOS OS runtime [${b.os}]`],
    ['zoneinfo', `JUNOS OS time zone information [${b.os}]`],
    ['netstack', `JUNOS network stack and utilities [${b.junos}]`],
    ['junos-libs', `JUNOS libs [${b.junos}]`],
    ['junos-runtime', `JUNOS runtime [${b.junos}]`],
    ['vmguest', `JUNOS Packet Forwarding Engine Simulation Package [${b.junos}]`],
    ['py-extensions', `JUNOS py extensions [${b.junos}]`],
    ['py-base', `JUNOS py base [${b.junos}]`],
    ['os-crypto', `JUNOS OS crypto [${b.os}]`],
    ['junos-runtime-platform', `JUNOS ${family} runtime [${b.junos}]`],
    ['junos-platform', `JUNOS common platform support [${b.junos}]`],
    ['junos-libs-platform', `JUNOS ${family} libs [${b.junos}]`],
    ['junos-daemons', `JUNOS daemons [${b.junos}]`],
    ['junos-daemons-platform', `JUNOS ${family} daemons [${b.junos}]`],
    ['jdocs', `JUNOS Online Documentation [${b.junos}]`],
  ].map(([name, comment]) => ({ name: name as string, comment: comment as string }));
}

export function softwareInformation(dev: JunosDevice): XNode {
  return x(
    'software-information',
    null,
    x('host-name', null, dev.hostname),
    x('product-model', null, dev.model),
    x('product-name', null, dev.model),
    x('junos-version', null, dev.version),
    packages(dev).map((p) => x('package-information', null, x('name', null, p.name), x('comment', null, p.comment))),
  );
}

export function softwareInformationAllRe(dev: JunosDevice): XNode {
  return x('multi-routing-engine-results', null, x('multi-routing-engine-item', null, x('re-name', null, 're0'), softwareInformation(dev)));
}

export function versionText(dev: JunosDevice, allRe: boolean): string {
  const body = [`Hostname: ${dev.hostname}`, `Model: ${dev.model}`, `Junos: ${dev.version}`, ...packages(dev).map((p) => p.comment)].join('\n') + '\n';
  return allRe ? `re0:\n${'-'.repeat(74)}\n${body}` : body;
}

// ---------------------------------------------------------------------------------------------
// interfaces

function state(up: boolean): string {
  return up ? 'up' : 'down';
}

export function interfacesTerseText(table: readonly PhysicalInterface[]): string {
  const lines = ['Interface               Admin Link Proto    Local                 Remote'];
  const famLines = (prefix: string, families: PhysicalInterface['units'][number]['families'], isLo: boolean): void => {
    let first = true;
    const push = (proto: string, local: string, remote: string): void => {
      const lead = first ? prefix : ' '.repeat(35);
      lines.push(`${lead}${pad(proto, 9)}${remote === '' ? local : pad(local, 22) + remote}`.trimEnd());
      first = false;
    };
    for (const f of families) {
      if (f.addresses.length === 0) push(f.name, '', '');
      f.addresses.forEach((a, i) => {
        const local = isLo ? (a.split('/')[0] as string) : a;
        if (i === 0) push(f.name, local, isLo ? '--> 0/0' : '');
        else lines.push(`${' '.repeat(44)}${isLo ? pad(local, 22) + '--> 0/0' : local}`);
      });
    }
    if (first) lines.push(prefix.trimEnd());
  };
  for (const p of table) {
    lines.push(`${pad(p.name, 24)}${pad(state(p.adminUp), 6)}${state(p.linkUp)}`);
    for (const u of p.units) {
      famLines(`${pad(u.name, 24)}${pad(state(u.adminUp), 6)}${pad(state(u.linkUp), 5)}`, u.families, p.name === 'lo0');
    }
  }
  return lines.join('\n') + '\n';
}

export function interfaceDescriptionsText(table: readonly PhysicalInterface[]): string {
  const rows: string[] = [];
  for (const p of table) {
    if (p.description !== undefined) rows.push(`${pad(p.name, 16)}${pad(state(p.adminUp), 6)}${pad(state(p.linkUp), 5)}${p.description}`);
    for (const u of p.units)
      if (u.description !== undefined) rows.push(`${pad(u.name, 16)}${pad(state(u.adminUp), 6)}${pad(state(u.linkUp), 5)}${u.description}`);
  }
  return rows.length === 0 ? '' : ['Interface       Admin Link Description', ...rows].join('\n') + '\n';
}

function logicalXml(u: PhysicalInterface['units'][number], terse: boolean): XNode {
  return x(
    'logical-interface',
    null,
    x('name', null, u.name),
    !terse && u.description !== undefined ? x('description', null, u.description) : null,
    x('admin-status', null, state(u.adminUp)),
    x('oper-status', null, state(u.linkUp)),
    x('filter-information', null),
    u.families.map((f) =>
      x(
        'address-family',
        null,
        x('address-family-name', null, f.name),
        f.addresses.map((a) => x('interface-address', null, x('ifa-local', { 'junos:emit': 'emit' }, a))),
      ),
    ),
  );
}

export function interfacesXml(dev: JunosDevice, table: readonly PhysicalInterface[], terse: boolean): XNode {
  return x(
    'interface-information',
    { xmlns: ns(dev, 'interface'), 'junos:style': terse ? 'terse' : 'normal' },
    table.map((p) =>
      x(
        'physical-interface',
        null,
        x('name', null, p.name),
        x('admin-status', null, state(p.adminUp)),
        x('oper-status', null, state(p.linkUp)),
        !terse && p.description !== undefined ? x('description', null, p.description) : null,
        !terse ? [x('local-index', null, String(p.index)), x('snmp-index', null, String(p.index + 370))] : null,
        !terse && p.port ? [x('link-level-type', null, 'Ethernet'), x('mtu', null, '1514'), x('speed', null, '1000mbps')] : null,
        p.units.map((u) => logicalXml(u, terse)),
      ),
    ),
  );
}

function mac(index: number): string {
  return `2c:6b:f5:${(index >> 8).toString(16).padStart(2, '0')}:${(index & 255).toString(16).padStart(2, '0')}:c0`;
}

export function interfacesDetailText(dev: JunosDevice, table: readonly PhysicalInterface[]): string {
  const out: string[] = [];
  const flapped = `${junosTime(new Date(dev.bootTime.getTime() + 100_000))} (${junosDuration(uptimeSeconds(dev) - 100)} ago)`;
  for (const p of table) {
    out.push(`Physical interface: ${p.name}, ${p.adminUp ? 'Enabled' : 'Administratively down'}, Physical link is ${p.linkUp ? 'Up' : 'Down'}`);
    out.push(`  Interface index: ${p.index}, SNMP ifIndex: ${p.index + 370}`);
    if (p.description !== undefined) out.push(`  Description: ${p.description}`);
    if (p.port) {
      out.push(
        '  Link-level type: Ethernet, MTU: 1514, Speed: 1000mbps, BPDU Error: None, Loop Detect PDU Error: None, Loopback: Disabled, Source filtering: Disabled',
      );
      out.push(`  Device flags   : Present Running${p.linkUp ? '' : ' Down'}`);
      out.push(`  Current address: ${mac(p.index)}, Hardware address: ${mac(p.index)}`);
      out.push(`  Last flapped   : ${flapped}`);
      out.push('  Input rate     : 0 bps (0 pps)');
      out.push('  Output rate    : 0 bps (0 pps)');
    } else {
      out.push(`  Type: ${p.name === 'lo0' ? 'Loopback' : 'Software-Pseudo'}, Link-level type: Unspecified, MTU: Unlimited`);
      out.push('  Device flags   : Present Running');
    }
    for (const u of p.units) {
      out.push('');
      out.push(`  Logical interface ${u.name} (Index ${p.index + 200}) (SNMP ifIndex ${p.index + 371})`);
      if (u.description !== undefined) out.push(`    Description: ${u.description}`);
      out.push(`    Flags: ${u.linkUp ? 'Up' : 'Down'} SNMP-Traps 0x4004000 Encapsulation: ENET2`);
      for (const f of u.families) {
        out.push(`    Protocol ${f.name}, MTU: ${f.name === 'inet' ? 1500 : 'Unlimited'}`);
        for (const a of f.addresses) {
          const [ip, len] = a.split('/');
          out.push('      Addresses, Flags: Is-Preferred Is-Primary');
          out.push(`        Destination: ${len === undefined ? ip : networkOf(a)}, Local: ${ip ?? a}`);
        }
      }
    }
    out.push('');
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// OSPF

function deadTimer(seed: string): number {
  let h = 0;
  for (const c of seed) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return 30 + ((h + Math.floor(Date.now() / 1000)) % 10);
}

export function ospfNeighborText(dev: JunosDevice): string {
  const adj = ospfAdjacencies(dev.running, dev.neighbors);
  if (adj.length === 0) return '';
  const lines = ['Address          Interface              State           ID               Pri  Dead'];
  for (const a of adj) {
    lines.push(
      `${pad(a.address, 17)}${pad(a.interface, 23)}${pad('Full', 16)}${pad(a.routerId, 17)}${String(128).padStart(3)}  ${String(deadTimer(a.address)).padStart(4)}`,
    );
  }
  return lines.join('\n') + '\n';
}

export function ospfNeighborXml(dev: JunosDevice): XNode {
  return x(
    'ospf-neighbor-information',
    { xmlns: ns(dev, 'routing') },
    ospfAdjacencies(dev.running, dev.neighbors).map((a) =>
      x(
        'ospf-neighbor',
        null,
        x('neighbor-address', null, a.address),
        x('interface-name', null, a.interface),
        x('ospf-neighbor-state', null, 'Full'),
        x('neighbor-id', null, a.routerId),
        x('neighbor-priority', null, '128'),
        x('activity-timer', null, String(deadTimer(a.address))),
      ),
    ),
  );
}

function ospfInterfaceRows(dev: JunosDevice): { name: string; state: string; area: string; dr: string; nbrs: number }[] {
  const adj = ospfAdjacencies(dev.running, dev.neighbors);
  const rid = routerId(dev);
  return [...ospfInterfaces(dev.running).entries()].map(([name, o]) => {
    const nbrs = adj.filter((a) => a.interface === name).length;
    const loopback = name.startsWith('lo');
    const state = o.passive || loopback ? 'DRother' : nbrs > 0 ? 'PtToPt' : 'Down';
    return { name, state: loopback ? 'DR' : state, area: o.area, dr: loopback ? rid : '0.0.0.0', nbrs };
  });
}

/** Router ID: routing-options router-id, else the first lo0 address, as Junos picks it. */
export function routerId(dev: JunosDevice): string {
  const configured = findPath(dev.running, ['routing-options', 'router-id']);
  if (configured !== undefined && configured.kind === 'leaf' && configured.values[0] !== undefined) return configured.values[0];
  const lo = interfaceTable(dev.running, dev.neighbors).find((p) => p.name === 'lo0');
  const addr = lo?.units.flatMap((u) => u.families.flatMap((f) => (f.name === 'inet' ? f.addresses : [])))[0];
  return addr === undefined ? '0.0.0.0' : (addr.split('/')[0] as string);
}

export function ospfInterfaceText(dev: JunosDevice): string {
  const rows = ospfInterfaceRows(dev);
  if (rows.length === 0) return '';
  const lines = ['Interface           State   Area            DR ID           BDR ID          Nbrs'];
  for (const r of rows) lines.push(`${pad(r.name, 20)}${pad(r.state, 8)}${pad(r.area, 16)}${pad(r.dr, 16)}${pad('0.0.0.0', 16)}${String(r.nbrs).padStart(4)}`);
  return lines.join('\n') + '\n';
}

export function ospfInterfaceXml(dev: JunosDevice): XNode {
  return x(
    'ospf-interface-information',
    { xmlns: ns(dev, 'routing') },
    ospfInterfaceRows(dev).map((r) =>
      x(
        'ospf-interface',
        null,
        x('interface-name', null, r.name),
        x('ospf-interface-state', null, r.state),
        x('ospf-area', null, r.area),
        x('dr-id', null, r.dr),
        x('bdr-id', null, '0.0.0.0'),
        x('neighbor-count', null, String(r.nbrs)),
      ),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// routes

export function routesFor(dev: JunosDevice): RouteEntry[] {
  return routeTable(dev.running, dev.neighbors, dev.routes, uptimeSeconds(dev));
}

function routeHeader(total: number): string {
  return `\ninet.0: ${total} destinations, ${total} routes (${total} active, 0 holddown, 0 hidden)\n+ = Active Route, - = Last Active, * = Both\n\n`;
}

export function routeText(routes: readonly RouteEntry[], total: number): string {
  const lines: string[] = [];
  for (const r of routes) {
    const metric = r.metric !== undefined ? `, metric ${r.metric}` : '';
    lines.push(`${pad(r.prefix, 19)}*[${r.protocol}/${r.preference}] ${junosDuration(r.age)}${metric}`);
    if (r.multiRecv === true) lines.push(`${' '.repeat(23)}MultiRecv`);
    else if (r.protocol === 'Local') lines.push(`${' '.repeat(23)}Local via ${r.via ?? ''}`);
    else if (r.nextHop !== undefined) lines.push(`${' '.repeat(20)}>  to ${r.nextHop} via ${r.via ?? ''}`);
    else lines.push(`${' '.repeat(20)}>  via ${r.via ?? ''}`);
  }
  return routeHeader(total) + (lines.length > 0 ? lines.join('\n') + '\n' : '');
}

export function routeXml(dev: JunosDevice, routes: readonly RouteEntry[], total: number): XNode {
  return x(
    'route-information',
    { xmlns: ns(dev, 'routing') },
    x(
      'route-table',
      null,
      x('table-name', null, 'inet.0'),
      x('destination-count', null, String(total)),
      x('total-route-count', null, String(total)),
      x('active-route-count', null, String(total)),
      x('holddown-route-count', null, '0'),
      x('hidden-route-count', null, '0'),
      routes.map((r) =>
        x(
          'rt',
          { 'junos:style': 'brief' },
          x('rt-destination', null, r.prefix),
          x(
            'rt-entry',
            null,
            x('active-tag', null, '*'),
            x('current-active', null),
            x('last-active', null),
            x('protocol-name', null, r.protocol),
            x('preference', null, String(r.preference)),
            r.metric !== undefined ? x('metric', null, String(r.metric)) : null,
            x('age', { 'junos:seconds': String(r.age) }, junosDuration(r.age)),
            r.multiRecv === true
              ? x('nh-type', null, 'MultiRecv')
              : x(
                  'nh',
                  null,
                  r.protocol === 'Local' ? null : x('selected-next-hop', null),
                  r.nextHop !== undefined ? x('to', null, r.nextHop) : null,
                  r.protocol === 'Local' ? x('nh-local-interface', null, r.via ?? '') : x('via', null, r.via ?? ''),
                ),
          ),
        ),
      ),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// system

export function commitHistoryText(dev: JunosDevice): string {
  const lines: string[] = [];
  dev.history.forEach((h, i) => {
    lines.push(`${pad(String(i), 4)}${junosTime(h.time)} by ${h.user} via ${h.client}${h.comment !== undefined ? ' ' + h.comment : ''}`);
    if (h.log !== undefined) lines.push(`    ${h.log}`);
  });
  return lines.join('\n') + '\n';
}

export function commitHistoryXml(dev: JunosDevice): XNode {
  return x(
    'commit-information',
    null,
    dev.history.map((h, i) =>
      x(
        'commit-history',
        null,
        x('sequence-number', null, String(i)),
        x('user', null, h.user),
        x('client', null, h.client),
        x('date-time', { 'junos:seconds': String(Math.floor(h.time.getTime() / 1000)) }, junosTime(h.time)),
        h.comment !== undefined ? x('comment', null, h.comment) : null,
        h.log !== undefined ? x('log', null, h.log) : null,
      ),
    ),
  );
}

function clock(d: Date): string {
  const h = d.getUTCHours();
  return `${h % 12 === 0 ? 12 : h % 12}:${String(d.getUTCMinutes()).padStart(2, '0')}${h < 12 ? 'AM' : 'PM'}`;
}

export function uptimeXml(dev: JunosDevice): XNode {
  const now = new Date();
  const up = uptimeSeconds(dev);
  const proto = new Date(dev.bootTime.getTime() + 90_000);
  const last = dev.lastCommit();
  const secs = (d: Date): string => String(Math.floor(d.getTime() / 1000));
  const ago = (d: Date): number => Math.floor((now.getTime() - d.getTime()) / 1000);
  return x(
    'system-uptime-information',
    { xmlns: ns(dev, 'system') },
    x('current-time', null, x('date-time', { 'junos:seconds': secs(now) }, junosTime(now))),
    x('time-source', null, ' LOCAL CLOCK '),
    x(
      'system-booted-time',
      null,
      x('date-time', { 'junos:seconds': secs(dev.bootTime) }, junosTime(dev.bootTime)),
      x('time-length', { 'junos:seconds': String(up) }, junosDuration(up)),
    ),
    x(
      'protocols-started-time',
      null,
      x('date-time', { 'junos:seconds': secs(proto) }, junosTime(proto)),
      x('time-length', { 'junos:seconds': String(ago(proto)) }, junosDuration(ago(proto))),
    ),
    x(
      'last-configured-time',
      null,
      x('date-time', { 'junos:seconds': secs(last.time) }, junosTime(last.time)),
      x('time-length', { 'junos:seconds': String(ago(last.time)) }, junosDuration(ago(last.time))),
      x('user', null, last.user),
    ),
    x(
      'uptime-information',
      null,
      x('date-time', { 'junos:seconds': secs(now) }, clock(now)),
      x('up-time', { 'junos:seconds': String(up) }, junosDuration(up)),
      x('active-user-count', { 'junos:format': `${Math.max(1, dev.sessions.size)} users` }, String(Math.max(1, dev.sessions.size))),
      x('load-average-1', null, '0.12'),
      x('load-average-5', null, '0.10'),
      x('load-average-15', null, '0.08'),
    ),
  );
}

export function uptimeText(dev: JunosDevice): string {
  const now = new Date();
  const up = uptimeSeconds(dev);
  const last = dev.lastCommit();
  const proto = new Date(dev.bootTime.getTime() + 90_000);
  const ago = (d: Date): string => junosDuration(Math.floor((now.getTime() - d.getTime()) / 1000));
  const users = Math.max(1, dev.sessions.size);
  return (
    [
      `Current time: ${junosTime(now)}`,
      'Time Source:  LOCAL CLOCK',
      `System booted: ${junosTime(dev.bootTime)} (${ago(dev.bootTime)} ago)`,
      `Protocols started: ${junosTime(proto)} (${ago(proto)} ago)`,
      `Last configured: ${junosTime(last.time)} (${ago(last.time)} ago) by ${last.user}`,
      `${clock(now)}  up ${Math.floor(up / 3600)}:${String(Math.floor((up % 3600) / 60)).padStart(2, '0')}, ${users} user${users === 1 ? '' : 's'}, load averages: 0.12, 0.10, 0.08`,
    ].join('\n') + '\n'
  );
}

export function alarmsXml(): XNode {
  return x('alarm-information', null, x('alarm-summary', null, x('no-active-alarms', null)));
}

export function alarmsText(): string {
  return 'No alarms currently active\n';
}

// ---------------------------------------------------------------------------------------------
// chassis

function reModel(dev: JunosDevice): string {
  return /vmx/i.test(dev.model) ? 'RE-VMX' : 'RE-VIRTUAL';
}

export function routeEngineXml(dev: JunosDevice): XNode {
  const up = uptimeSeconds(dev);
  return x(
    'route-engine-information',
    { xmlns: ns(dev, 'chassis') },
    x(
      'route-engine',
      null,
      x('slot', null, '0'),
      x('mastership-state', null, 'master'),
      x('mastership-priority', null, 'master (default)'),
      x('status', null, 'OK'),
      x('memory-dram-size', null, '4096 MB'),
      x('memory-installed-size', null, '(4096 MB installed)'),
      x('memory-buffer-utilization', null, '18'),
      x('cpu-user', null, '1'),
      x('cpu-background', null, '0'),
      x('cpu-system', null, '1'),
      x('cpu-interrupt', null, '1'),
      x('cpu-idle', null, '97'),
      x('model', null, reModel(dev)),
      x('start-time', { 'junos:seconds': String(Math.floor(dev.bootTime.getTime() / 1000)) }, junosTime(dev.bootTime)),
      x('up-time', { 'junos:seconds': String(up) }, humanDuration(up)),
      x('last-reboot-reason', null, 'Router rebooted after a normal shutdown.'),
      x('load-average-one', null, '0.12'),
      x('load-average-five', null, '0.10'),
      x('load-average-fifteen', null, '0.08'),
    ),
  );
}

function humanDuration(total: number): string {
  const d = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const part = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;
  return [d > 0 ? part(d, 'day') : '', part(h, 'hour'), part(m, 'minute'), part(s, 'second')].filter((p) => p !== '').join(', ');
}

export function routeEngineText(dev: JunosDevice): string {
  return (
    [
      'Routing Engine status:',
      '  Slot 0:',
      '    Current state                  Master',
      '    Election priority              Master (default)',
      '    DRAM                      4096 MB (4096 MB installed)',
      '    Memory utilization          18 percent',
      '    5 sec CPU utilization:',
      '      User                       1 percent',
      '      Background                 0 percent',
      '      Kernel                     1 percent',
      '      Interrupt                  1 percent',
      '      Idle                      97 percent',
      `    Model                          ${reModel(dev)}`,
      `    Start time                     ${junosTime(dev.bootTime)}`,
      `    Uptime                         ${humanDuration(uptimeSeconds(dev))}`,
      '    Last reboot reason             Router rebooted after a normal shutdown.',
      '    Load averages:                 1 minute   5 minute  15 minute',
      '                                       0.12       0.10       0.08',
    ].join('\n') + '\n'
  );
}

export function chassisInventoryXml(dev: JunosDevice): XNode {
  const module = (name: string, description: string, extra: XNode[] = []): XNode =>
    x('chassis-module', null, x('name', null, name), x('description', null, description), extra);
  return x(
    'chassis-inventory',
    { xmlns: ns(dev, 'chassis') },
    x(
      'chassis',
      { 'junos:style': 'inventory' },
      x('name', null, 'Chassis'),
      x('serial-number', null, dev.serial),
      x('description', null, dev.model.toUpperCase()),
      module('Midplane', `${dev.model.toUpperCase()} Midplane`),
      module('Routing Engine 0', reModel(dev)),
      module('CB 0', `${dev.model.toUpperCase()} SCB`),
      module('FPC 0', 'Virtual FPC', [
        x(
          'chassis-sub-module',
          null,
          x('name', null, 'CPU'),
          x('version', null, 'Rev. 1.0'),
          x('part-number', null, 'RIOT-LITE'),
          x('serial-number', null, 'BUILTIN'),
        ),
        x('chassis-sub-module', null, x('name', null, 'MIC 0'), x('description', null, 'Virtual')),
      ]),
    ),
  );
}

export function chassisHardwareText(dev: JunosDevice): string {
  const row = (item: string, version: string, part: string, serial: string, desc: string): string =>
    `${pad(item, 17)}${pad(version, 9)}${pad(part, 13)}${pad(serial, 18)}${desc}`.trimEnd();
  return (
    [
      'Hardware inventory:',
      row('Item', 'Version', 'Part number', 'Serial number', 'Description'),
      row('Chassis', '', '', dev.serial, dev.model.toUpperCase()),
      row('Midplane', '', '', '', `${dev.model.toUpperCase()} Midplane`),
      row('Routing Engine 0', '', '', '', reModel(dev)),
      row('CB 0', '', '', '', `${dev.model.toUpperCase()} SCB`),
      row('FPC 0', '', '', '', 'Virtual FPC'),
      row('  CPU', 'Rev. 1.0', 'RIOT-LITE', 'BUILTIN', ''),
      row('  MIC 0', '', '', '', 'Virtual'),
      row('    PIC 0', '', 'BUILTIN', 'BUILTIN', 'Virtual'),
    ].join('\n') + '\n'
  );
}

// ---------------------------------------------------------------------------------------------
// configuration

/** `## Last commit: … by user` then the text, as `show configuration` prints it. */
export function configurationText(dev: JunosDevice, tree: ConfigNode, withHeader: boolean): string {
  const last = dev.lastCommit();
  const head = withHeader ? `## Last commit: ${junosTime(last.time)} by ${last.user}\n` : '';
  return head + renderConfigText(tree);
}

/** Attributes get-configuration puts on `<configuration>`. */
export function commitAttributes(dev: JunosDevice): Record<string, string> {
  const last = dev.lastCommit();
  return {
    'junos:commit-seconds': String(Math.floor(last.time.getTime() / 1000)),
    'junos:commit-localtime': junosTime(last.time),
    'junos:commit-user': last.user,
  };
}

export { interfaceTable };
