// Adapter: the opaque cursor of a paged Query. It carries only the last item's own part of the sort key (an admin
// id, an event id, an address), never the company, which always comes from the caller's session, so a cursor cannot
// cross tenants; one this API did not hand out is a 400.
import { DomainError } from '../../domain/errors';

export interface PageCursor {
  encode(last: string): string;
  /** The last item's part of the key; VALIDATION_FAILED when the cursor is not one `encode` made. */
  decode(cursor: string): string;
}

/** A cursor codec whose decoded values must pass `isValid`. */
export function pageCursor(isValid: (last: string) => boolean): PageCursor {
  return {
    encode: (last) => Buffer.from(last, 'utf8').toString('base64url'),
    decode(cursor) {
      const last = Buffer.from(cursor, 'base64url').toString('utf8');
      if (!isValid(last)) {
        throw new DomainError('VALIDATION_FAILED', 'The cursor is not one this API returned.', [
          { field: 'cursor', code: 'INVALID_CURSOR', message: 'Use the nextCursor value of the previous page as it is.' },
        ]);
      }
      return last;
    },
  };
}
