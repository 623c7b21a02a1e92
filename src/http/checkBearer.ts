import { HttpError } from './httpError.ts';
import { toBearerStatus } from './toBearerStatus.ts';

/**
 * Checks an `Authorization: Bearer <token>` header against the configured token in constant
 * time ({@link toBearerStatus}). Throws `override_disabled` when no token is configured,
 * `unauthorized` without a bearer header and `forbidden` for a wrong token.
 */
export function checkBearer(header: string | undefined, token: string | undefined): void {
  const status = toBearerStatus(header, token);
  if (status === 'disabled') {
    throw new HttpError('override_disabled', 'commands are disabled: the server has no token configured');
  }
  if (status === 'absent') {
    throw new HttpError('unauthorized', 'missing bearer token: send Authorization: Bearer <token>', {
      headers: { 'WWW-Authenticate': 'Bearer realm="consensus-guard"' },
    });
  }
  if (status === 'invalid') throw new HttpError('forbidden', 'invalid token');
}
