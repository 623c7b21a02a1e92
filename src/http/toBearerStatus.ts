import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * What an `Authorization` header proves against the configured token: `disabled` when no token
 * is configured, `absent` without a `Bearer` credential, `valid` for the configured token and
 * `invalid` for any other. The token is compared in constant time (SHA-256 digests of equal
 * length compared with `timingSafeEqual`).
 */
export function toBearerStatus(
  header: string | undefined,
  token: string | undefined,
): 'disabled' | 'absent' | 'valid' | 'invalid' {
  if (token === undefined || token === '') return 'disabled';
  const match = header === undefined ? null : /^Bearer +(\S+) *$/i.exec(header);
  if (!match) return 'absent';
  const given = createHash('sha256').update(match[1]!).digest();
  const expected = createHash('sha256').update(token).digest();
  return timingSafeEqual(given, expected) ? 'valid' : 'invalid';
}
