// Use-case layer: ending the caller's session.
import type { Actor } from './actor';
import type { Dependencies } from './dependencies';

export async function signOut(actor: Actor, deps: Pick<Dependencies, 'sessions'>): Promise<void> {
  await deps.sessions.delete(actor.sessionHash);
}
