// Use-case layer: turning a bearer token into an Actor, and the role check, for every route that needs a session.
import type { Origin } from '../domain/audit';
import { forbidden, unauthenticated } from '../domain/errors';
import { TOKEN_PATTERN, hashToken } from '../domain/tokens';
import type { Actor } from './actor';
import { hasExpired, type Dependencies } from './dependencies';

export type Access = 'session' | 'master';

/**
 * Reads the session and its admin on every request: a revoked session (a newer epoch), a disabled admin or a
 * demoted master is refused on the very next call, with no cache to wait out.
 */
export async function authenticate(
  authorization: string | undefined,
  access: Access,
  origin: Origin,
  deps: Pick<Dependencies, 'admins' | 'sessions' | 'clock'>,
): Promise<Actor> {
  // The scheme name is case-insensitive (RFC 9110).
  const token = /^Bearer +(\S+)$/i.exec(authorization ?? '')?.[1];
  if (token === undefined || !TOKEN_PATTERN.test(token)) throw unauthenticated();
  const sessionHash = hashToken(token);
  const session = await deps.sessions.get(sessionHash);
  if (session === undefined || hasExpired(session.expiresAt, deps.clock.now())) throw unauthenticated();
  const admin = await deps.admins.get(session.companyId, session.adminId);
  if (admin === undefined || admin.status !== 'active' || admin.sessionEpoch !== session.epoch) throw unauthenticated();
  if (access === 'master' && admin.role !== 'master') throw forbidden();
  return { admin, sessionHash, origin };
}
