import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffStatements } from '../../../../src/drivers/junos/diff-statements.js';

describe('diffStatements: a Junos diff as set-form statements (show | compare | display set)', () => {
  it('turns changed leaves into delete and set, under the [edit] path', () => {
    const xml = readFileSync(join(import.meta.dirname, '../../../fixtures/junos/diff.xml'), 'utf8');
    const diff = /<configuration-output>\n([^]*?)<\/configuration-output>/.exec(xml)![1]!;
    expect(diffStatements(diff)).toEqual([
      'delete system host-name router1',
      'set system host-name router1-new',
      'set interfaces ge-0/0/1 unit 0 family inet address 10.0.1.1/31',
    ]);
  });

  it('expands added blocks to one set per leaf, quotes values with spaces, and lists to one statement per value', () => {
    const diff = [
      '[edit system]',
      '+   login {',
      '+       user eve {',
      '+           class super-user;',
      '+           authentication {',
      '+               encrypted-password "$6$abc$def"; ## SECRET-DATA',
      '+           }',
      '+       }',
      '+   }',
      '[edit interfaces ge-0/0/0]',
      '+   description "to core 1";',
      '[edit policy-options policy-statement p term t from]',
      '+     community [ c1 c2 ];',
      '[edit protocols]',
      '+   lldp;',
      '+   ospf {',
      '+       area 0.0.0.0;',
      '+   }',
    ].join('\n');
    expect(diffStatements(diff)).toEqual([
      'set system login user eve class super-user',
      'set system login user eve authentication encrypted-password "$6$abc$def"',
      'set interfaces ge-0/0/0 description "to core 1"',
      'set policy-options policy-statement p term t from community c1',
      'set policy-options policy-statement p term t from community c2',
      'set protocols lldp',
      'set protocols ospf area 0.0.0.0',
    ]);
  });

  it('a removed subtree is one delete of its root, wherever it is', () => {
    const diff = ['[edit]', '-  system {', '-      host-name r1;', '-      services { ssh; }', '-  }', '[edit system login]', '-    user bob {', '-        class super-user;', '-    }'].join('\n');
    expect(diffStatements(diff)).toEqual(['delete system', 'delete system login user bob']);
  });

  it('inside an unchanged parent block only the changed lines count; empty diff gives nothing', () => {
    const diff = ['[edit system services]', '    ssh {', '+       root-login allow;', '-       root-login deny;', '    }'].join('\n');
    expect(diffStatements(diff)).toEqual(['set system services ssh root-login allow', 'delete system services ssh root-login deny']);
    expect(diffStatements('')).toEqual([]);
  });
});
