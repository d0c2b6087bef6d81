import { createHash } from 'node:crypto';
import type { ConfigSource, HashedSource } from '../../model/config-source.js';
import { ChangeRequestError } from './errors.js';

/** Checks a proposed source and hashes its inline text; a sha256 sent along by the front end must match. */
export function hashedSource(source: ConfigSource): HashedSource {
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
