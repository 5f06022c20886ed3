// Use-case layer: an admin registered without a password anyone knows, whose first password is set through an emailed
// set-up link: a new company's first master (the operator's set-up) and an admin a master invites by email.
import { registeredAdmin, type AdminRecord, type Registration } from '../domain/admin';
import type { Dependencies } from './dependencies';

/** The bytes of the throwaway password: 256 bits nobody ever sees, removed again by the set-up link's reset. */
const THROWAWAY_PASSWORD_BYTES = 32;

/**
 * The directory needs a password to create an admin, so he gets 256 random bits that are hashed and forgotten, as a
 * temporary password expired from the start: even if the set-up link is never sent, it opens nothing.
 */
export async function passwordlessAdmin(
  identity: Omit<Registration, 'password' | 'temporaryPasswordExpiresAt'>,
  now: Date,
  deps: Pick<Dependencies, 'hasher' | 'random'>,
): Promise<AdminRecord> {
  const password = await deps.hasher.hash(deps.random.bytes(THROWAWAY_PASSWORD_BYTES).toString('base64url'));
  return registeredAdmin({ ...identity, password, temporaryPasswordExpiresAt: now.toISOString() }, now.toISOString());
}
