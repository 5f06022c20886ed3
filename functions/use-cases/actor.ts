// Use-case layer: who is calling. Built only from a verified session, never from the request, so the company of
// every operation is the caller's own.
import type { AdminRecord } from '../domain/admin';
import type { Origin } from '../domain/audit';

export interface Actor {
  /** The caller's admin record as read for this request. */
  readonly admin: AdminRecord;
  /** The SHA-256 of the caller's session token. */
  readonly sessionHash: string;
  /** Where the request came from, for the audit trail. */
  readonly origin: Origin;
}
