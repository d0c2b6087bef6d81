import type { OutputFormat } from '../contract.js';
import { escapeXmlAttr, escapeXmlText } from '../netconf/xml-text.js';
import type { LoadRequest } from './load-request.js';

/**
 * Junos XML API requests as PyEZ sends them (docs: driver-protocols §1.5). Pure string builders:
 * every piece of user text goes through escapeXmlText / escapeXmlAttr, which also refuse
 * characters XML cannot carry (NonXmlCharError).
 */
export const RPC = {
  openPrivate: '<open-configuration><private/></open-configuration>',
  closeConfiguration: '<close-configuration/>',
  lock: '<lock-configuration/>',
  unlock: '<unlock-configuration/>',
  /** What PyEZ's cu.rollback(0) sends: throws away uncommitted changes in the candidate. */
  discardChanges: '<load-configuration compare="rollback" rollback="0"/>',
  diff: '<get-configuration compare="rollback" rollback="0" format="text"/>',
  commitCheck: '<commit-configuration><check/></commit-configuration>',
  commitInformation: '<get-commit-information/>',
  /** The committed configuration, not whatever sits in the shared candidate. */
  runningConfig: '<get-configuration database="committed" format="text"/>',
  softwareInformation: '<get-software-information/>',
  chassisInventory: '<get-chassis-inventory/>',
  uptimeInformation: '<get-system-uptime-information/>',
} as const;

/** `<command>`: text and json through the format attribute; XML is the default when it is absent. */
export function buildCommand(command: string, format: OutputFormat): string {
  const attribute = format === 'xml' ? '' : ` format="${format}"`;
  return `<command${attribute}>${escapeXmlText(command)}</command>`;
}

/** Elements that carry inline configuration, per load format. */
const INLINE_ELEMENT = { text: 'configuration-text', set: 'configuration-set' } as const;

export function buildLoad(request: LoadRequest): string {
  switch (request.kind) {
    case 'rollback':
      return `<load-configuration rollback="${request.index}"/>`;
    case 'url': {
      const format = request.format === 'xml' ? 'xml' : 'text';
      return `<load-configuration action="${request.action}" format="${format}" url="${escapeXmlAttr(request.url)}"/>`;
    }
    case 'inline': {
      if (request.format === 'xml') {
        // Checked to be one well-formed <configuration> element (load-request.ts).
        return `<load-configuration action="${request.action}" format="xml">${request.content}</load-configuration>`;
      }
      const element = INLINE_ELEMENT[request.format];
      return `<load-configuration action="${request.action}" format="text"><${element}>${escapeXmlText(request.content)}</${element}></load-configuration>`;
    }
    default:
      return request satisfies never;
  }
}

export interface CommitOptions {
  /** commit confirmed, in minutes (Junos XML unit); 0 or undefined commits plainly. */
  readonly confirmMinutes?: number | undefined;
  readonly comment?: string | undefined;
}

/** Junos confirm-timeout is whole minutes, 1..65535. */
export function confirmTimeoutMinutes(minutes: number): number {
  return Math.min(65_535, Math.max(1, Math.ceil(minutes)));
}

export function buildCommit(options: CommitOptions): string {
  const confirmed =
    options.confirmMinutes !== undefined && options.confirmMinutes > 0
      ? `<confirmed/><confirm-timeout>${confirmTimeoutMinutes(options.confirmMinutes)}</confirm-timeout>`
      : '';
  const log = options.comment !== undefined && options.comment !== '' ? `<log>${escapeXmlText(options.comment)}</log>` : '';
  return `<commit-configuration>${confirmed}${log}</commit-configuration>`;
}
