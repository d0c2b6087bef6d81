import { afterEach, describe, expect, it } from 'vitest';
import { clearRegisteredSecrets, learnSecrets, redactText, redactTextAsync } from '../../../src/redact/index.js';

afterEach(() => clearRegisteredSecrets());

const COMMUNITY = 'Comm-S3cret-Lambda';
const RADIUS = 'Radius-S3cret-Kappa';

/** The same configuration in each format Junos shows it. */
const CURLY = `system {
    radius-server {
        10.0.0.5 {
            secret "${RADIUS}"; ## SECRET-DATA
        }
    }
}
snmp {
    community ${COMMUNITY} {
        authorization read-only;
    }
}
policy-options {
    community BLOCK members 65000:666;
}`;

const SET = `set system radius-server 10.0.0.5 secret "${RADIUS}"
set snmp community ${COMMUNITY} authorization read-only
set policy-options community BLOCK members 65000:666`;

const XML = `<configuration junos:commit-seconds="1" xmlns:junos="http://xml.juniper.net/junos/*/junos">
    <system>
        <radius-server>
            <name>10.0.0.5</name>
            <secret>${RADIUS}</secret>
        </radius-server>
    </system>
    <snmp>
        <community>
            <name>${COMMUNITY}</name>
            <authorization>read-only</authorization>
        </community>
    </snmp>
    <policy-options>
        <community>
            <name>BLOCK</name>
            <members>65000:666</members>
        </community>
    </policy-options>
</configuration>`;

const JSON_TEXT = `{
    "configuration" : {
        "system" : {
            "radius-server" : [
            {
                "name" : "10.0.0.5",
                "secret" : "${RADIUS}"
            }
            ]
        },
        "snmp" : {
            "community" : [
            {
                "name" : "${COMMUNITY}",
                "authorization" : "read-only"
            }
            ]
        },
        "policy-options" : {
            "community" : [
            {
                "name" : "BLOCK",
                "members" : ["65000:666"]
            }
            ]
        }
    }
}`;

describe('the structure layer finds Junos secret fields in every format', () => {
  it.each([
    ['curly-brace text', CURLY],
    ['set commands', SET],
    ['XML', XML],
    ['JSON', JSON_TEXT],
  ])('%s: the community and the RADIUS secret go, the BGP community stays', (_name, text) => {
    const out = redactText(text);
    expect(out).not.toContain(COMMUNITY);
    expect(out).not.toContain(RADIUS);
    expect(out).toContain('BLOCK');
    expect(out).toContain('10.0.0.5');
    expect(out).toContain('<redacted>');
    expect(redactText(out)).toBe(out);
  });

  it('keeps XML and JSON readable: only the values change', () => {
    expect(redactText(XML)).toContain('<secret><redacted></secret>');
    expect(redactText(XML)).toContain('<name><redacted></name>');
    expect(redactText(JSON_TEXT)).toContain('"secret" : "<redacted>"');
    expect(JSON.parse(redactText(JSON_TEXT)).configuration.snmp.community[0].name).toBe('<redacted>');
  });

  it('finds a JSON secret on a fragment that a pipe left (| match secret)', () => {
    expect(redactText(`                "secret" : "${RADIUS}"`)).toBe('                "secret" : "<redacted>"');
    expect(redactText(`            <secret>${RADIUS}</secret>`)).toBe('            <secret><redacted></secret>');
  });
});

describe('value masking: secrets learnt from a configuration are removed where the context is gone', () => {
  const CUT = [
    // | match community
    `    community ${COMMUNITY} {`,
    // | display set | match snmp | trim 9
    `community ${COMMUNITY} authorization read-only`,
    // | display xml | match name
    `            <name>${COMMUNITY}</name>`,
    // | display json | match name
    `                "name" : "${COMMUNITY}",`,
    // | display set | match radius | trim 30
    `0.0.0.5 secret-ish "${RADIUS}"`,
  ];

  it('without having seen the configuration, a cut line can leak (why the value layer exists)', () => {
    expect(redactText(CUT[1]!)).toContain(COMMUNITY);
  });

  it.each(['curly', 'set', 'xml', 'json'])('after learning from %s, no cut line shows either secret', (format) => {
    const text = { curly: CURLY, set: SET, xml: XML, json: JSON_TEXT }[format]!;
    expect(learnSecrets(text)).toBe(2);
    for (const line of CUT) {
      expect(redactText(line)).not.toContain(COMMUNITY);
      expect(redactText(line)).not.toContain(RADIUS);
    }
    expect(redactText(`x ${encodeURIComponent(COMMUNITY)} &quot;${RADIUS}&quot;`)).toBe('x <redacted> &quot;<redacted>&quot;');
  });

  it('learns nothing from a configuration without secrets, and never a BGP community', () => {
    expect(learnSecrets('policy-options {\n    community BLOCKED-ROUTES members 65000:666;\n}\n')).toBe(0);
    expect(redactText('community BLOCKED-ROUTES')).toBe('community BLOCKED-ROUTES');
  });
});

describe('redactTextAsync', () => {
  it('gives what redactText gives on a large text', async () => {
    const big = Array.from({ length: 3000 }, () => CURLY).join('\n');
    expect(await redactTextAsync(big)).toBe(redactText(big));
  });
});

describe('idempotent after escaping for Slack', () => {
  it.each([CURLY, SET, XML, JSON_TEXT])('a redacted text escaped for mrkdwn comes through unchanged', (text) => {
    const escaped = redactText(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    expect(redactText(escaped)).toBe(escaped);
  });
});
