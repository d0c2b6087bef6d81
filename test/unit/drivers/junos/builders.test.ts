import { describe, expect, it } from 'vitest';
import { UnsupportedError } from '../../../../src/drivers/errors.js';
import { prepareCommand } from '../../../../src/drivers/junos/command.js';
import { detectLoadFormat, resolveLoadRequest } from '../../../../src/drivers/junos/load-request.js';
import { buildCommand, buildCommit, buildLoad } from '../../../../src/drivers/junos/rpcs.js';
import { encodeEom, MessageReader } from '../../../../src/drivers/netconf/framing.js';
import { children, parseXml, path, text } from '../../../../src/drivers/netconf/xml-tree.js';
import { escapeXmlAttr, escapeXmlText, NonXmlCharError } from '../../../../src/drivers/netconf/xml-text.js';

const ctx = { node: 'r1', operation: 'plan' };

/** What a base:1.0 device would see: split the framed request on ]]>]]> and parse each message. */
function deviceView(body: string): { messages: string[]; rpcs: unknown[] } {
  const reader = new MessageReader();
  reader.push(encodeEom(`<rpc message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">${body}</rpc>`));
  const messages: string[] = [];
  for (let m = reader.next(); m !== undefined; m = reader.next()) messages.push(m.toString('utf8'));
  return { messages, rpcs: messages.map((m) => parseXml(m)['rpc']) };
}

const HOSTILE = [
  'show version ]]>]]><rpc><lock-configuration/></rpc>]]>]]>',
  'show route | match "a<b & c>d"',
  '</command></rpc>]]>]]><rpc message-id="2"><commit-configuration/></rpc>',
  "it's \"quoted\" & <![CDATA[ x ]]> <!-- c --> <?pi?>",
];

describe('escaping user text', () => {
  it('escapes & < > in text and also quotes in attributes', () => {
    expect(escapeXmlText('a<b & c>d ]]>')).toBe('a&lt;b &amp; c&gt;d ]]&gt;');
    expect(escapeXmlAttr(`"x" 'y' <&>`)).toBe('&quot;x&quot; &apos;y&apos; &lt;&amp;&gt;');
  });

  it('refuses characters XML cannot carry, and keeps tabs, newlines and emoji', () => {
    expect(() => escapeXmlText('show\u0007version')).toThrow(NonXmlCharError);
    expect(() => escapeXmlText('bad \uD800 half')).toThrow(NonXmlCharError);
    expect(escapeXmlText('a\tb\nc 😀')).toBe('a\tb\nc 😀');
  });

  it.each(HOSTILE)('a command cannot end the message or add an RPC: %s', (command) => {
    const view = deviceView(buildCommand(command, 'text'));
    expect(view.messages).toHaveLength(1);
    const rpc = view.rpcs[0];
    expect(Object.keys(rpc as object).filter((k) => !k.startsWith('@'))).toEqual(['command']);
    expect(text(path(rpc, 'command'))).toBe(command);
  });

  it.each(HOSTILE)('configuration text cannot end the message or add an RPC: %s', (hostile) => {
    const content = `system {\n    host-name "${hostile}";\n}`;
    const body = buildLoad(resolveLoadRequest({ type: 'text', content }, 'merge', ctx));
    const view = deviceView(body);
    expect(view.messages).toHaveLength(1);
    const load = path(view.rpcs[0], 'load-configuration');
    expect(children(view.rpcs[0], 'load-configuration')).toHaveLength(1);
    expect(text(path(load, 'configuration-text'))).toBe(content);
  });

  it('set lines, a device-file path and a commit comment are escaped too', () => {
    const set = buildLoad(resolveLoadRequest({ type: 'text', content: 'set system host-name "a]]>]]>b<c>"' }, 'set', ctx));
    expect(deviceView(set).messages).toHaveLength(1);
    const url = buildLoad(resolveLoadRequest({ type: 'device-file', path: '/var/tmp/a"]]>]]>&.conf' }, 'merge', ctx));
    const urlView = deviceView(url);
    expect(urlView.messages).toHaveLength(1);
    expect(url).toContain('url="/var/tmp/a&quot;]]&gt;]]&gt;&amp;.conf"');
    const commit = buildCommit({ comment: 'fix </log><rollback/> ]]>]]>' });
    const commitView = deviceView(commit);
    expect(commitView.messages).toHaveLength(1);
    expect(text(path(commitView.rpcs[0], 'commit-configuration', 'log'))).toBe('fix </log><rollback/> ]]>]]>');
  });

  it('XML configuration must be one well-formed <configuration> element', () => {
    const good = '<?xml version="1.0"?>\n<configuration><system><host-name>r1</host-name></system></configuration>\n';
    const body = buildLoad(resolveLoadRequest({ type: 'text', content: good }, 'merge', ctx));
    expect(body).toBe('<load-configuration action="merge" format="xml"><configuration><system><host-name>r1</host-name></system></configuration></load-configuration>');
    const refused = [
      '<configuration/></load-configuration></rpc><rpc><commit-configuration/>',
      '<configuration></configuration><configuration></configuration>',
      '<system><host-name>r1</host-name></system>',
      '<configuration a="]]>]]>"/>',
      '<!DOCTYPE x [<!ENTITY a "b">]><configuration>&a;</configuration>',
      '<configuration><system></configuration>',
    ];
    for (const content of refused) {
      expect(() => resolveLoadRequest({ type: 'text', content, format: 'xml' }, 'merge', ctx), content).toThrow(UnsupportedError);
    }
  });
});

describe('load requests', () => {
  it('detects set, XML and curly-brace text', () => {
    expect(detectLoadFormat('\n# comment\nset system host-name r1\ndelete interfaces ge-0/0/1')).toBe('set');
    expect(detectLoadFormat('deactivate protocols ospf')).toBe('set');
    expect(detectLoadFormat('  <configuration/>')).toBe('xml');
    expect(detectLoadFormat('system {\n  host-name r1;\n}')).toBe('text');
    expect(detectLoadFormat('')).toBe('text');
  });

  it('maps every method to its load-configuration action and format', () => {
    const text = 'system { host-name r1; }';
    expect(buildLoad(resolveLoadRequest({ type: 'text', content: text }, 'merge', ctx))).toBe(
      '<load-configuration action="merge" format="text"><configuration-text>system { host-name r1; }</configuration-text></load-configuration>',
    );
    expect(buildLoad(resolveLoadRequest({ type: 'text', content: text }, 'override', ctx))).toContain('action="override" format="text"');
    expect(buildLoad(resolveLoadRequest({ type: 'text', content: text }, 'replace', ctx))).toContain('action="replace" format="text"');
    expect(buildLoad(resolveLoadRequest({ type: 'text', content: 'set system host-name r1' }, 'set', ctx))).toBe(
      '<load-configuration action="set" format="text"><configuration-set>set system host-name r1</configuration-set></load-configuration>',
    );
  });

  it('loads set-style lines with action set under merge, and refuses them under override/replace', () => {
    const lines = 'set system host-name r1\ndelete system ntp';
    expect(buildLoad(resolveLoadRequest({ type: 'text', content: lines }, 'merge', ctx))).toContain('action="set"');
    expect(() => resolveLoadRequest({ type: 'text', content: lines }, 'override', ctx)).toThrow(/method override with set-style lines/);
    expect(() => resolveLoadRequest({ type: 'text', content: lines }, 'replace', ctx)).toThrow(UnsupportedError);
    expect(() => resolveLoadRequest({ type: 'text', content: 'x', format: 'xml' }, 'set', ctx)).toThrow(UnsupportedError);
  });

  it('loads a device file through url, and a rollback by number', () => {
    expect(buildLoad(resolveLoadRequest({ type: 'device-file', path: '/var/tmp/new.conf' }, 'override', ctx))).toBe(
      '<load-configuration action="override" format="text" url="/var/tmp/new.conf"/>',
    );
    expect(buildLoad(resolveLoadRequest({ type: 'device-file', path: '/var/tmp/new.set' }, 'set', ctx))).toContain('action="set" format="text"');
    expect(buildLoad(resolveLoadRequest({ type: 'device-file', path: 'cfg.xml' }, 'merge', ctx))).toContain('format="xml"');
    expect(buildLoad(resolveLoadRequest({ type: 'rollback', index: 3 }, 'merge', ctx))).toBe('<load-configuration rollback="3"/>');
    for (const index of [-1, 50, 1.5]) {
      expect(() => resolveLoadRequest({ type: 'rollback', index }, 'merge', ctx)).toThrow(/Junos keeps rollback 0 to 49/);
    }
  });
});

describe('commit and command requests', () => {
  it('commit confirmed carries whole minutes and the log comment', () => {
    expect(buildCommit({})).toBe('<commit-configuration></commit-configuration>');
    expect(buildCommit({ confirmMinutes: 5, comment: 'clab-bot #7 by @a approved by @b' })).toBe(
      '<commit-configuration><confirmed/><confirm-timeout>5</confirm-timeout><log>clab-bot #7 by @a approved by @b</log></commit-configuration>',
    );
    expect(buildCommit({ confirmMinutes: 0.5 })).toContain('<confirm-timeout>1</confirm-timeout>');
    expect(buildCommit({ confirmMinutes: 0 })).not.toContain('confirmed');
  });

  it('command format travels as the format attribute; XML is the default without one', () => {
    expect(buildCommand('show version', 'text')).toBe('<command format="text">show version</command>');
    expect(buildCommand('show version', 'json')).toBe('<command format="json">show version</command>');
    expect(buildCommand('show version', 'xml')).toBe('<command>show version</command>');
  });

  it('turns a trailing | display xml / json into the format and leaves other pipes alone', () => {
    expect(prepareCommand('show route | display json', undefined)).toEqual({ command: 'show route', format: 'json' });
    expect(prepareCommand('  show route|DISPLAY XML ', 'text')).toEqual({ command: 'show route', format: 'xml' });
    expect(prepareCommand('show route | display xml rpc', undefined)).toEqual({ command: 'show route | display xml rpc', format: 'text' });
    expect(prepareCommand('show log messages | match error', 'json')).toEqual({ command: 'show log messages | match error', format: 'json' });
  });
});
