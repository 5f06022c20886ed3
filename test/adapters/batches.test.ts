// Adapter tests: a DynamoDB batch whose answer leaves entries unprocessed (functions/adapters/dynamodb/batches.ts),
// as the audit log's writes and the audit log's names read it.
import { sendUntilProcessed } from '../../functions/adapters/dynamodb/batches';

describe('when DynamoDB leaves part of a batch unprocessed', () => {
  it('sends only what was left, again, until nothing is', async () => {
    const sends: (readonly string[])[] = [];
    const leftOver = [['c'], []];

    await sendUntilProcessed(['a', 'b', 'c'], async (pending) => {
      sends.push(pending);
      return leftOver.shift();
    }, 'letters');

    expect(sends).toEqual([['a', 'b', 'c'], ['c']]);
  });

  it('fails naming what was left after its fourth send, and sends no more', async () => {
    let sends = 0;

    const failure = sendUntilProcessed(['a'], async (pending) => {
      sends += 1;
      return pending;
    }, 'audit events');

    await expect(failure).rejects.toThrow('audit events left unprocessed by DynamoDB');
    expect(sends).toBe(4);
  });
});
