import { describe, expect, it } from 'vitest';
import { describeRpcError, parseRpcReply, replyInnerXml, ReplyParseError } from '../../../../src/drivers/netconf/reply.js';
import { junosFixture } from '../support/fixtures.js';

const parse = (name: string) => parseRpcReply(junosFixture(name));

describe('parseRpcReply on real-shaped Junos replies', () => {
  it('reads through a UTF-8 BOM and finds rpc-errors nested in load-configuration-results', () => {
    const raw = junosFixture('load-configuration-error.xml');
    expect(raw.charCodeAt(0)).toBe(0xfeff);
    const reply = parseRpcReply(raw);
    expect(reply.messageId).toBe('urn:uuid:7d41b3c2-5e0a-4f1b-9a77-2c4be8d1f3a0');
    expect(reply.errors.map((e) => e.message)).toEqual(['syntax error', 'error recovery ignores input until this point']);
    expect(reply.errors.map((e) => e.info['bad-element'])).toEqual(['protocolz', '}']);
    expect(reply.warnings).toEqual([]);
    expect(reply.errors.map(describeRpcError)).toEqual([
      "syntax error (near 'protocolz')",
      "error recovery ignores input until this point (near '}')",
    ]);
  });

  it('keeps every sibling rpc-error, trims multi-line messages, reads tag and type', () => {
    const reply = parse('commit-check-errors.xml');
    expect(reply.errors).toHaveLength(2);
    expect(reply.errors[0]).toMatchObject({
      severity: 'error',
      type: 'protocol',
      tag: 'operation-failed',
      message: "interface-range 'uplinks' is not defined",
    });
    expect(reply.errors[1]?.message).toBe('interface-ranges expansion failed');
  });

  it('counts Junoscript xnm:error inside commit-results as errors, with edit-path and statement', () => {
    const reply = parse('commit-xnm-errors.xml');
    expect(reply.errors).toHaveLength(2);
    expect(reply.errors[0]).toMatchObject({
      severity: 'error',
      path: '[edit protocols ospf area 0.0.0.0]',
      message: 'Referenced interface ge-0/0/9.0 does not exist',
      info: { 'source-daemon': 'rpd', statement: 'interface ge-0/0/9.0' },
    });
    expect(reply.errors[1]?.message).toBe('configuration check-out failed');
    expect(describeRpcError(reply.errors[0]!)).toBe(
      '[edit protocols ospf area 0.0.0.0] interface ge-0/0/9.0: Referenced interface ge-0/0/9.0 does not exist',
    );
  });

  it('keeps warning rpc-errors and xnm:warnings as warnings, not errors', () => {
    const reply = parse('warnings-only.xml');
    expect(reply.errors).toEqual([]);
    // Grouped by element name (rpc-error, then warning): order across the two kinds carries no meaning.
    expect(reply.warnings.map((w) => w.message).sort()).toEqual([
      'l2-learning subsystem not running - not needed by configuration.',
      'mgd: statement must contain additional statements',
      'statement not found',
      'uncommitted changes will be discarded on exit',
    ]);
  });

  it('reads a permission-denied rpc-error that declares its own default and nc namespaces', () => {
    const reply = parse('permission-denied.xml');
    expect(reply.errors).toHaveLength(1);
    expect(reply.errors[0]).toMatchObject({ message: 'permission denied', info: { 'bad-element': 'get-chassis-inventory' } });
  });

  it('treats <ok/> next to an error-severity rpc-error as a failure', () => {
    const reply = parse('load-error-with-ok.xml');
    expect(reply.errors.map((e) => e.message)).toEqual(['syntax error']);
  });

  it('is prefix-agnostic: nc:rpc-reply, nc:ok and nc:rpc-error read like unprefixed ones', () => {
    const ok = parse('rfc-compliant-ok.xml');
    expect(ok.ok).toBe(true);
    expect(ok.messageId).toBe('4');
    const locked = parse('rfc-compliant-error.xml');
    expect(locked.errors[0]).toMatchObject({ tag: 'lock-denied', info: { 'session-id': '41862' } });
    expect(locked.errors[0]?.message).toMatch(/^configuration database locked by:\n {2}lab terminal/);
  });

  it('counts an rpc-error with no severity as an error (never success on doubt)', () => {
    const reply = parseRpcReply('<rpc-reply><rpc-error><error-message>odd</error-message></rpc-error></rpc-reply>');
    expect(reply.errors.map((e) => e.severity)).toEqual(['error']);
  });

  it('does not mistake a data element named error for a device error', () => {
    const reply = parseRpcReply('<rpc-reply><stats><error>3</error><warning>1</warning></stats></rpc-reply>');
    expect(reply.errors).toEqual([]);
    expect(reply.warnings).toEqual([]);
  });

  it('keeps text output byte for byte, with entities decoded', () => {
    const reply = parse('show-system-alarms.xml');
    expect(reply.body['output']).toContain('scale-subscriber(52) is missing & needed <now>\n');
    expect(String(reply.body['output']).startsWith('\n2 alarms currently active\n')).toBe(true);
  });

  it('decodes numeric character references', () => {
    const reply = parseRpcReply('<rpc-reply><output>a&#60;b&#x3E;c &#233;</output></rpc-reply>');
    expect(reply.body['output']).toBe('a<b>c é');
  });

  it('refuses a document that is not an rpc-reply, or not XML', () => {
    expect(() => parseRpcReply(junosFixture('hello-junos.xml'))).toThrow(ReplyParseError);
    expect(() => parseRpcReply('<rpc-reply><a></rpc-reply>')).toThrow(ReplyParseError);
    expect(() => parseRpcReply('garbage')).toThrow(ReplyParseError);
  });

  it('returns the device XML between the rpc-reply tags untouched', () => {
    const inner = replyInnerXml(junosFixture('command-xml.xml'));
    expect(inner).toContain('<start-time junos:seconds="1714553600">');
    expect(inner.trim().startsWith('<route-engine-information')).toBe(true);
    expect(replyInnerXml(junosFixture('command-empty.xml'))).toBe('');
    expect(replyInnerXml('<nc:rpc-reply xmlns:nc="x" a=">"><nc:ok/></nc:rpc-reply>')).toBe('<nc:ok/>');
  });
});
