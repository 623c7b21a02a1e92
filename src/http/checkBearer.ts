import { createHash, timingSafeEqual } from 'node:crypto';
import { HttpError } from './httpError.ts';

/**
 * Checks an `Authorization: Bearer <token>` header against the configured token in constant
 * time (SHA-256 digests of equal length compared with `timingSafeEqual`). Throws
 * `override_disabled` when no token is configured, `unauthorized` without a bearer header and
 * `forbidden` for a wrong token.
 */
export function checkBearer(header: string | undefined, token: string | undefined): void {
  if (token === undefined || token === '') {
    throw new HttpError('override_disabled', 'commands are disabled: the server has no token configured');
  }
  const match = header === undefined ? null : /^Bearer +(\S+) *$/i.exec(header);
  if (!match) {
    throw new HttpError('unauthorized', 'missing bearer token: send Authorization: Bearer <token>', {
      headers: { 'WWW-Authenticate': 'Bearer realm="consensus-guard"' },
    });
  }
  const given = createHash('sha256').update(match[1]!).digest();
  const expected = createHash('sha256').update(token).digest();
  if (!timingSafeEqual(given, expected)) throw new HttpError('forbidden', 'invalid token');
}
