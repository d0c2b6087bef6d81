/**
 * Operational RPCs: `<command>`, the RPC forms of the show commands (get-software-information,
 * get-interface-information, …), and the ones PyEZ's fact gathering calls (file-show of
 * /etc/hosts.junos, file-list, get-virtual-chassis-information, get-chassis-cluster-status, …).
 */
import { runCommand, type OutputFormat } from './cli.js';
import { junosTime } from './device.js';
import { devicePath } from './rpcs-config.js';
import type { RpcContext, RpcHandler, RpcReplyBody } from './rpc-context.js';
import { RpcFailure } from './rpc-error.js';
import { isSwitchModel } from './show-output.js';
import { childText, hasChild, x, type XNode } from './xml.js';

function formatOf(req: XNode): OutputFormat {
  const f = (req.attrs['format'] ?? 'xml').toLowerCase();
  if (f === 'text' || f === 'ascii') return 'text';
  if (f === 'json') return 'json';
  return 'xml';
}

/** Runs the CLI equivalent of an RPC in the format the RPC asked for. */
function viaCli(line: (req: XNode) => string): RpcHandler {
  return (req, ctx) => runCommand(line(req), formatOf(req), ctx.device);
}

const command: RpcHandler = (req, ctx) => {
  const line = req.text.trim();
  const f = (req.attrs['format'] ?? 'xml').toLowerCase();
  return runCommand(line, f === 'text' ? 'text' : f === 'json' ? 'json' : 'xml', ctx.device);
};

/** The private routing instance PyEZ reads to learn which RE it is on (fact current_re). */
function privateInterfaces(ctx: RpcContext): RpcReplyBody {
  return {
    nodes: [
      x(
        'interface-information',
        { xmlns: `http://xml.juniper.net/junos/${ctx.device.version}/junos-interface`, 'junos:style': 'terse' },
        x(
          'physical-interface',
          null,
          x('name', null, 'em1'),
          x('admin-status', null, 'up'),
          x('oper-status', null, 'up'),
          x(
            'logical-interface',
            null,
            x('name', null, 'em1.0'),
            x('admin-status', null, 'up'),
            x('oper-status', null, 'up'),
            x('filter-information', null),
            x(
              'address-family',
              null,
              x('address-family-name', null, 'inet'),
              ['10.0.0.4/8', '128.0.0.1/2', '128.0.0.4/2'].map((a) => x('interface-address', null, x('ifa-local', { 'junos:emit': 'emit' }, a))),
            ),
          ),
        ),
      ),
    ],
  };
}

const getInterfaceInformation: RpcHandler = (req, ctx) => {
  if (childText(req, 'routing-instance') === '__juniper_private1__') return privateInterfaces(ctx);
  const name = childText(req, 'interface-name');
  const style = ['terse', 'brief', 'detail', 'extensive', 'descriptions'].find((s) => hasChild(req, s));
  return runCommand(['show interfaces', name, style].filter((p) => p !== undefined).join(' '), formatOf(req), ctx.device);
};

const getRouteInformation: RpcHandler = (req, ctx) => {
  const parts = ['show route'];
  const dest = childText(req, 'destination');
  if (dest !== undefined) parts.push(dest);
  const proto = childText(req, 'protocol');
  if (proto !== undefined) parts.push('protocol', proto);
  if (hasChild(req, 'exact')) parts.push('exact');
  return runCommand(parts.join(' '), formatOf(req), ctx.device);
};

const fileShow: RpcHandler = (req, ctx) => {
  const name = childText(req, 'filename');
  if (name === undefined) throw new RpcFailure([{ severity: 'error', message: 'syntax error, expecting <filename>', badElement: 'file-show' }]);
  const path = devicePath(ctx.session.user, name);
  const file = ctx.device.files.get(path);
  if (file === undefined) throw new RpcFailure([{ severity: 'error', message: `could not resolve file: ${name}` }]);
  return {
    nodes: [
      x(
        'file-content',
        {
          filename: path,
          'junos:seconds': String(Math.floor(file.mtime.getTime() / 1000)),
          filesize: String(Buffer.byteLength(file.content)),
          encoding: 'text',
        },
        `\n${file.content}`,
      ),
    ],
  };
};

const fileList: RpcHandler = (req, ctx) => {
  const raw = childText(req, 'path') ?? '~';
  const dir = devicePath(ctx.session.user, raw).replace(/\/+$/, '') + '/';
  const entries = [...ctx.device.files.entries()].filter(([p]) => p.startsWith(dir) && !p.slice(dir.length).includes('/'));
  return {
    nodes: [
      x(
        'directory-list',
        { 'root-path': dir, 'junos:seconds': String(Math.floor(Date.now() / 1000)), 'junos:style': 'brief' },
        x(
          'directory',
          { name: dir },
          x('directory-name', null, dir),
          x('total-file-blocks', null, String(entries.length * 8)),
          entries.map(([p, f]) =>
            x(
              'file-information',
              null,
              x('file-name', null, p.slice(dir.length)),
              x('file-size', null, String(Buffer.byteLength(f.content))),
              x('file-date', { 'junos:seconds': String(Math.floor(f.mtime.getTime() / 1000)) }, junosTime(f.mtime)),
            ),
          ),
          x('total-files', null, String(entries.length)),
        ),
      ),
    ],
  };
};

export const OPER_RPCS: Readonly<Record<string, RpcHandler>> = {
  command,
  'get-software-information': viaCli(() => 'show version'),
  'get-interface-information': getInterfaceInformation,
  'get-ospf-neighbor-information': viaCli(() => 'show ospf neighbor'),
  'get-ospf-interface-information': viaCli(() => 'show ospf interface'),
  'get-route-information': getRouteInformation,
  'get-commit-information': viaCli(() => 'show system commit'),
  'get-system-uptime-information': viaCli(() => 'show system uptime'),
  'get-system-alarm-information': viaCli(() => 'show system alarms'),
  'get-chassis-inventory': viaCli(() => 'show chassis hardware'),
  'get-route-engine-information': viaCli(() => 'show chassis routing-engine'),
  'get-bridge-mac-table': viaCli((req) => (hasChild(req, 'count') ? 'show bridge mac-table count' : 'show bridge mac-table')),
  ping: viaCli((req) => `ping ${childText(req, 'host') ?? ''} count ${childText(req, 'count') ?? '5'}`),
  'file-show': fileShow,
  'file-list': fileList,
  'get-virtual-chassis-information': () => {
    throw new RpcFailure([{ severity: 'error', message: 'the virtual-chassis-control subsystem is not running' }]);
  },
  'get-chassis-cluster-status': () => ({
    nodes: [
      x(
        'xnm:error',
        { xmlns: 'http://xml.juniper.net/xnm/1.1/xnm', 'xmlns:xnm': 'http://xml.juniper.net/xnm/1.1/xnm' },
        x('parse', null),
        x('source-daemon', null, 'jsrpd'),
        x('message', null, 'error: Chassis cluster is not enabled'),
      ),
    ],
  }),
  'get-ethernet-switching-table-information': (_req, ctx) => {
    if (!isSwitchModel(ctx.device.model)) {
      throw new RpcFailure([{ severity: 'error', message: 'syntax error', badElement: 'get-ethernet-switching-table-information' }]);
    }
    return {
      nodes: [
        x(
          'l2ng-l2ald-rtb-macdb',
          { xmlns: `http://xml.juniper.net/junos/${ctx.device.version}/junos-l2al` },
          x('l2ng-l2ald-mac-entry-vlan', { 'junos:style': 'summary' }),
        ),
      ],
    };
  },
};
