// Contract suite of the AttemptLimiter port, run against the in-memory fake the use-case tests rely on and against
// the DynamoDB adapter on DynamoDB Local: a window's count is one conditional increment of what is stored, so
// parallel takes never pass the limit, whichever implementation holds it.
import { randomBytes } from 'node:crypto';
import type { AttemptLimiter } from '../../functions/domain/ports';

/** Builds a limiter of `maxAttempts` per window of `windowMinutes`, on fresh or shared storage. */
export type LimiterFactory = (options: { maxAttempts: number; windowMinutes: number }) => AttemptLimiter;

const clientKey = () => `contract-${randomBytes(6).toString('hex')}`;
// Well inside one 60-minute window: 10:20 UTC.
const NOW = new Date('2025-06-02T10:20:00.000Z');

export function attemptLimiterContract(implementation: string, limiterOf: LimiterFactory): void {
  describe(`AttemptLimiter (${implementation})`, () => {
    it('grants exactly the limit of 12 parallel takes of one client, and nothing to the rest', async () => {
      const limiter = limiterOf({ maxAttempts: 5, windowMinutes: 60 });
      const client = clientKey();

      const taken = await Promise.all(Array.from({ length: 12 }, () => limiter.take(client, NOW)));

      expect(taken.filter(Boolean)).toHaveLength(5);
      expect(await limiter.take(client, NOW)).toBe(false);
    });

    it('counts each client on its own', async () => {
      const limiter = limiterOf({ maxAttempts: 1, windowMinutes: 60 });

      const first = await limiter.take(clientKey(), NOW);
      const second = await limiter.take(clientKey(), NOW);

      expect([first, second]).toEqual([true, true]);
    });

    it('applies a limit given with the take instead of its own (a company setting)', async () => {
      const limiter = limiterOf({ maxAttempts: 50, windowMinutes: 60 });
      const client = clientKey();

      const taken = await Promise.all(Array.from({ length: 4 }, () => limiter.take(client, NOW, 2)));

      expect(taken.filter(Boolean)).toHaveLength(2);
    });

    it('gives a place back, and never below zero', async () => {
      const limiter = limiterOf({ maxAttempts: 1, windowMinutes: 60 });
      const client = clientKey();
      await limiter.take(client, NOW);

      await limiter.giveBack(client, NOW);
      await limiter.giveBack(client, NOW);
      const again = await limiter.take(client, NOW);
      const full = await limiter.take(client, NOW);

      expect([again, full]).toEqual([true, false]);
    });

    it('starts a new count when the window ends, and says when that is', async () => {
      const limiter = limiterOf({ maxAttempts: 1, windowMinutes: 60 });
      const client = clientKey();
      await limiter.take(client, NOW);
      const ends = limiter.windowEndsAt(NOW);

      const justBefore = await limiter.take(client, new Date(ends.getTime() - 1));
      const atTheEnd = await limiter.take(client, ends);

      expect(ends.toISOString()).toBe('2025-06-02T11:00:00.000Z');
      expect([justBefore, atTheEnd]).toEqual([false, true]);
    });
  });
}
