import { createHash } from 'node:crypto';
import type { StoredSource } from '../../model/change.js';
import type { ConfigSource } from '../../drivers/contract.js';
import { ChangeRequestError } from './errors.js';
import type { ChangeSourceInput, ChangeView } from './types.js';

/** Checks a proposed source and gives it the form stored with the change (inline text with its sha256). */
export function storedSource(source: ChangeSourceInput): StoredSource {
  switch (source.type) {
    case 'text': {
      if (source.content.trim() === '') throw new ChangeRequestError('the configuration to load is empty');
      const sha256 = createHash('sha256').update(source.content, 'utf8').digest('hex');
      if (source.sha256 !== undefined && source.sha256.toLowerCase() !== sha256) {
        throw new ChangeRequestError('the configuration text does not match its sha256: it changed on the way; submit it again');
      }
      return { type: 'text', content: source.content, format: source.format, sha256 };
    }
    case 'device-file':
      if (source.path.trim() === '') throw new ChangeRequestError('--device-file needs a path on the device');
      return { type: 'device-file', path: source.path };
    case 'rollback':
      if (!Number.isInteger(source.index) || source.index < 0) {
        throw new ChangeRequestError(`--rollback needs a whole number of at least 0, not ${source.index}`);
      }
      return { type: 'rollback', index: source.index };
    default:
      return source satisfies never;
  }
}

/** The ConfigSource handed to drivers, from the stored form. */
export function configSource(source: StoredSource): ConfigSource {
  switch (source.type) {
    case 'text':
      return source.format === undefined ? { type: 'text', content: source.content } : { type: 'text', content: source.content, format: source.format };
    case 'device-file':
      return { type: 'device-file', path: source.path };
    case 'rollback':
      return { type: 'rollback', index: source.index };
    default:
      return source satisfies never;
  }
}

/** Short text for events and audit rows; inline text is named by its hash, never echoed. */
export function describeSource(source: StoredSource): string {
  switch (source.type) {
    case 'text':
      return `text sha256:${source.sha256.slice(0, 12)}`;
    case 'device-file':
      return `device file ${source.path}`;
    case 'rollback':
      return `rollback ${source.index}`;
    default:
      return source satisfies never;
  }
}

export function describeSourceView(view: ChangeView): string {
  const s = view.source;
  switch (s.type) {
    case 'text':
      return `text sha256:${s.sha256.slice(0, 12)} (${s.lines} lines)`;
    case 'device-file':
      return `device file ${s.path}`;
    case 'rollback':
      return `rollback ${s.index}`;
    default:
      return s satisfies never;
  }
}
