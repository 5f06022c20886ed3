// Use-case layer: what a refused write means to the person who asked. Stores name the stored condition that did
// not hold (a WriteRefusal); this turns it into the domain error the API answers, once for all use cases, and lets
// a use case that read no version ask again on a fresh read.
import { DomainError, concurrentChange, emailTaken, keptChanging, lastMaster, resetInProgress, staleVersion, unauthenticated } from '../domain/errors';
import { WriteRefused, type WriteRefusal } from '../domain/write-refusals';

/** When a write was refused for several reasons, the one to tell: a moved version first, since the others were judged on it. */
const PRECEDENCE: readonly WriteRefusal[] = ['STALE_VERSION', 'PASSWORD_MOVED', 'TOKEN_USED', 'CLAIM_LOST', 'SESSION_GONE', 'EMAIL_TAKEN', 'LAST_MASTER'];

const DEFAULT_ERRORS: Partial<Record<WriteRefusal, () => DomainError>> = {
  STALE_VERSION: staleVersion,
  PASSWORD_MOVED: concurrentChange,
  TOKEN_USED: concurrentChange,
  CLAIM_LOST: concurrentChange,
  RESET_IN_PROGRESS: resetInProgress,
  SESSION_GONE: unauthenticated,
  EMAIL_TAKEN: emailTaken,
  LAST_MASTER: lastMaster,
};

export type RefusalErrors = Partial<Record<WriteRefusal, () => Error>>;

/** Runs a store write; a refusal becomes its domain error (the use case's own, where it names one). */
export async function persist<T>(write: Promise<T>, errors: RefusalErrors = {}): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (!(error instanceof WriteRefused)) throw error;
    const reason = PRECEDENCE.find((candidate) => error.has(candidate)) ?? error.reasons[0]!;
    const toError = errors[reason] ?? DEFAULT_ERRORS[reason];
    if (toError === undefined) throw new Error(`a write was refused for a reason this use case does not expect: ${error.reasons.join(', ')}`);
    throw toError();
  }
}

/** Times a change without a client's version is decided again on a fresh read when the stored state moved meanwhile. */
const DECISIONS = 5;

/**
 * Decides and writes a change that the client did not pin to a version (a disable, a feature switch): when the
 * stored state moved between the read and the write, the change is decided again on a fresh read, so its outcome
 * always rests on what is stored.
 */
export async function decideOnFreshRead<T>(attempt: () => Promise<T>, moved: readonly WriteRefusal[]): Promise<T> {
  for (let decision = 1; ; decision += 1) {
    try {
      return await attempt();
    } catch (error) {
      // A refusal that names a moved state among others (LAST_MASTER with STALE_VERSION) was judged on that old
      // state too: it is decided again as well.
      const stillMoving = error instanceof WriteRefused && error.reasons.some((reason) => moved.includes(reason));
      if (stillMoving && decision < DECISIONS) continue;
      // The caller pinned no version, so "your version is stale" would name a precondition he never sent.
      if (stillMoving) throw keptChanging();
      throw error;
    }
  }
}
