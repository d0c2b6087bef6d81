import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DIR = fileURLToPath(new URL('../../../fixtures/junos/', import.meta.url));

/** A Junos reply fixture from test/fixtures/junos/, as text (a BOM, if any, kept). */
export function junosFixture(name: string): string {
  return readFileSync(`${DIR}${name}`, 'utf8');
}
