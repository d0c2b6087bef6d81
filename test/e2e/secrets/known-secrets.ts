import { sql, type Kysely } from 'kysely';

/**
 * Secrets the secret-grep test plants, each unique so a hit can only mean a leak. The device
 * password is what the simulated nodes accept; the wrong password is what the inventory gives
 * one node so its login fails; the Slack values are the bot's own settings; the rest sit in the
 * configuration pushed to the nodes, in the statements Junos treats as secret.
 */
export const DEVICE_PASSWORD = 'Sup3r-S3cret-Dev1ce!';
export const WRONG_PASSWORD = 'Wr0ng-Kn0wn-Passw0rd#9';
export const BOT_TOKEN = 'xoxb-4242-1717-BotT0kenUniqueQ9zz';
export const APP_TOKEN = 'xapp-1-A0SECRET-5151-AppT0kenUniqueW8yy';
export const SIGNING_SECRET = 'sign-S3cret-unique-5e7a9c1b';

/** Secrets of the config file: the change that commits it keeps its text (see CONFIG_FILE_SECRETS). */
export const PASSWORD_HASH = '$6$Qx7Lm2Pa$Zr8Yk3Wd5Vn1Tb9Sc4Rf6Hg0Jj2Ll7Mm3Nn8Pp1Qq5Rr9Ss4Tt6Uu0Vv2Ww7Xx3Yy8Zz1Aa5Bb9Cc';
export const BGP_KEY = 'Bgp-Auth-K3y-Zeta77';
export const IKE_PSK = 'Ike-Psk-Omega-4242';
export const OSPF_MD5 = 'Ospf-Md5-Key-Sigma9';
export const RADIUS_SECRET = 'Radius-S3cret-Kappa';
/** Only ever pasted or piped, in dry runs. */
export const SNMP_COMMUNITY = 'Comm-S3cret-Lambda';
export const TACPLUS_SECRET = 'Tacplus-S3cret-Mu';
/** In a config the device refuses. */
export const BROKEN_KEY = 'Broken-Bgp-K3y-Theta';
/** The password in a postgres:// database URL, and a wrong one the server refuses. */
export const DB_PASSWORD = 'Pg-Pa55-Unique-Omicron7';
export const WRONG_DB_PASSWORD = 'Wr0ng-Db-Pa55-Sigma3';

export const ALL_SECRETS: Readonly<Record<string, string>> = {
  DEVICE_PASSWORD,
  WRONG_PASSWORD,
  BOT_TOKEN,
  APP_TOKEN,
  SIGNING_SECRET,
  PASSWORD_HASH,
  BGP_KEY,
  IKE_PSK,
  OSPF_MD5,
  RADIUS_SECRET,
  SNMP_COMMUNITY,
  TACPLUS_SECRET,
  BROKEN_KEY,
  DB_PASSWORD,
  WRONG_DB_PASSWORD,
};

/**
 * The secrets a committed change's own record holds: change_requests.source_content is the
 * configuration to load, kept as given until it is committed (it cannot be redacted and still be
 * applied). It is the one place at rest where config secrets may be, and only these.
 */
export const CONFIG_FILE_SECRETS = ['PASSWORD_HASH', 'BGP_KEY', 'IKE_PSK', 'OSPF_MD5', 'RADIUS_SECRET'] as const;

/** A config with a secret in every statement Junos marks SECRET-DATA. */
export const SECRET_CONFIG = `system {
    login {
        user ops {
            uid 2100;
            class read-only;
            authentication {
                encrypted-password "${PASSWORD_HASH}";
            }
        }
    }
    radius-server {
        10.0.0.5 {
            secret "${RADIUS_SECRET}";
        }
    }
}
security {
    ike {
        policy ike-pol {
            pre-shared-key ascii-text "${IKE_PSK}";
        }
    }
}
protocols {
    bgp {
        group peers {
            authentication-key "${BGP_KEY}";
        }
    }
    ospf {
        area 0.0.0.0 {
            interface lo0.0 {
                authentication {
                    md5 1 key "${OSPF_MD5}";
                }
            }
        }
    }
}
`;

/** Set commands pasted into the Slack form or piped to the terminal. */
export const PASTED_SET_CONFIG = `set snmp community ${SNMP_COMMUNITY} authorization read-only
set system tacplus-server 10.0.0.9 secret "${TACPLUS_SECRET}"
`;

/** A config the device refuses, with a secret on the line it complains about. */
export const BROKEN_CONFIG = `protocols {
    bgp {
        group peers {
            authentication-key "${BROKEN_KEY}"
    }
}
`;

/** One place text left the process (a log line, a Slack call, a database cell) and what it said. */
export interface Haystack {
  readonly where: string;
  readonly text: string;
}

/** The ways a value can be written: as is, inside JSON, in a URL, escaped for Slack/HTML. */
function spellings(value: string): string[] {
  return [
    ...new Set([
      value,
      JSON.stringify(value).slice(1, -1),
      encodeURIComponent(value),
      value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
    ]),
  ];
}

/** Every (secret, place) pair where a known secret shows, in any spelling. */
export function findSecrets(haystacks: readonly Haystack[], secrets: Readonly<Record<string, string>> = ALL_SECRETS): { secret: string; where: string }[] {
  const found: { secret: string; where: string }[] = [];
  for (const [name, value] of Object.entries(secrets)) {
    const forms = spellings(value);
    for (const h of haystacks) {
      if (forms.some((f) => h.text.includes(f))) found.push({ secret: name, where: h.where });
    }
  }
  return found;
}

/** The tables of the database: every one, from the catalogue, so a table added later is searched too. */
export async function tableNames(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres'): Promise<string[]> {
  const tables =
    dialect === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'table' order by name`.execute(db)
      : await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() order by table_name`.execute(db);
  return tables.rows.map((r) => r.name);
}

/** Every cell of every row of every table, one haystack per cell, named `db TABLE.COLUMN`. */
export async function databaseCells(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres'): Promise<Haystack[]> {
  const cells: Haystack[] = [];
  for (const name of await tableNames(db, dialect)) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db);
    for (const row of rows.rows) {
      for (const [column, value] of Object.entries(row)) {
        if (value !== null && value !== undefined) cells.push({ where: `db ${name}.${column}`, text: value instanceof Date ? value.toISOString() : String(value) });
      }
    }
  }
  return cells;
}
