import { createHash } from 'node:crypto';
import type { ConfigSource, HashedSource } from '../../model/config-source.js';
import { ChangeRequestError } from './errors.js';

/** Checks a proposed source and hashes its inline text; a sha256 sent along by the front end must match. */
export function hashedSource(source: ConfigSource): HashedSource {
  switch (source.type) {
    case 'text': {
      if (source.content.trim() === '') throw new ChangeRequestError('the configuration to load is empty');
      return { type: 'text', content: source.content, format: source.format, sha256: checkedHash(source.content, source.sha256) };
    }
    case 'template': {
      const rendered = Object.entries(source.rendered).map(([key, r]) => {
        if (r.content.trim() === '') throw new ChangeRequestError(`${source.path} renders to nothing for ${key}`);
        return [key, { content: r.content, sha256: checkedHash(r.content, r.sha256) }] as const;
      });
      if (rendered.length === 0) throw new ChangeRequestError(`${source.path} was rendered for no node`);
      return { type: 'template', path: source.path, sha256: source.sha256, format: source.format, rendered: Object.fromEntries(rendered) };
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

/** The text's sha256; one sent along (by the front end, or computed at rendering) must match it. */
function checkedHash(content: string, claimed: string | undefined): string {
  const sha256 = createHash('sha256').update(content, 'utf8').digest('hex');
  if (claimed !== undefined && claimed.toLowerCase() !== sha256) {
    throw new ChangeRequestError('the configuration text does not match its sha256: it changed on the way; submit it again');
  }
  return sha256;
}
