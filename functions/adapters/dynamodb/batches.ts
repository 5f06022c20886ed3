// Adapter: DynamoDB's batch requests, which may answer with part of a batch left unprocessed under load (throttling,
// a partition busy); what is left is sent again, a few times with a growing pause, and then the request fails.

/** Sends of one batch at most: the first and three more for what is left. */
const BATCH_SENDS = 4;

const pause = (send: number) => new Promise((resolve) => setTimeout(resolve, 50 * send));

/**
 * Sends `entries` with `send`, which answers what DynamoDB left unprocessed, until nothing is left; fails naming
 * `what` when entries are still left after the last send.
 */
export async function sendUntilProcessed<T>(entries: readonly T[], send: (pending: readonly T[]) => Promise<readonly T[] | undefined>, what: string): Promise<void> {
  let pending: readonly T[] | undefined = entries;
  for (let sent = 0; pending !== undefined && pending.length > 0; sent += 1) {
    if (sent === BATCH_SENDS) throw new Error(`${what} left unprocessed by DynamoDB`);
    if (sent > 0) await pause(sent);
    pending = await send(pending);
  }
}
