/**
 * A large but valid Junos configuration (curly-brace text) of about `bytes` bytes: interfaces with
 * units and addresses, a firewall filter with many terms and long prefix lists, the shapes that
 * make a real 2 MB configuration. Deterministic, so bench figures compare between runs.
 */
export function bigJunosConfig(bytes: number, hostname = 'big'): string {
  const head = `system {\n    host-name ${hostname};\n    services {\n        netconf {\n            ssh;\n        }\n    }\n}\n`;
  const interfaces: string[] = ['interfaces {'];
  const terms: string[] = [];
  const prefixes: string[] = [];
  let size = head.length + 200;
  for (let i = 0; size < bytes; i++) {
    const a = (i >> 8) & 255;
    const b = i & 255;
    const intf = [
      `    ge-${Math.floor(i / 4096)}/${Math.floor(i / 64) % 64}/${i % 64} {`,
      `        description "customer ${i} access port";`,
      `        unit ${i % 4000} {`,
      `            description "service ${i}";`,
      `            family inet {`,
      `                address 10.${a}.${b}.1/30;`,
      `            }`,
      `        }`,
      `    }`,
    ].join('\n');
    const term = [
      `            term t${i} {`,
      `                from {`,
      `                    source-address {`,
      `                        172.${16 + (a % 16)}.${b}.0/24;`,
      `                    }`,
      `                    protocol tcp;`,
      `                    destination-port ${1024 + (i % 60000)};`,
      `                }`,
      `                then accept;`,
      `            }`,
    ].join('\n');
    const prefix = `        192.${a % 224}.${b}.0/24;`;
    interfaces.push(intf);
    terms.push(term);
    prefixes.push(prefix);
    size += intf.length + term.length + prefix.length + 3;
  }
  interfaces.push('}');
  return [
    head,
    interfaces.join('\n'),
    '\npolicy-options {\n    prefix-list customers {\n',
    prefixes.join('\n'),
    '\n    }\n}\nfirewall {\n    family inet {\n        filter protect {\n',
    terms.join('\n'),
    '\n        }\n    }\n}\n',
  ].join('');
}
