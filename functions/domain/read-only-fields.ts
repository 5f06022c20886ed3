// Domain layer: the round-trip rule for read-only fields. What GET shows may be sent back to PUT or PATCH: a
// read-only field is accepted when it still has the value GET shows now, and ignored; a changed one is refused, so
// a client never believes it changed what it cannot (see README, "Round trips").
import { DomainError, type ErrorDetail } from './errors';

/** The read-only fields sent whose value differs from the one shown now, one detail each. */
export function readOnlyMismatches<Shown extends object>(sent: Partial<Shown>, shown: Shown): ErrorDetail[] {
  return Object.entries(sent)
    .filter(([field, value]) => value !== undefined && value !== (shown as Record<string, unknown>)[field])
    .map(([field]) => ({ field, code: 'READ_ONLY_FIELD', message: `${field} is read-only: send it as it is shown now, or leave it out.` }));
}

/** Refuses a write whose read-only fields were changed; nothing is written. */
export function assertReadOnlyUnchanged<Shown extends object>(sent: Partial<Shown>, shown: Shown): void {
  const details = readOnlyMismatches(sent, shown);
  if (details.length > 0) {
    throw new DomainError('VALIDATION_FAILED', 'A read-only field differs from its current value. Reload, then change only what may be changed.', details);
  }
}
