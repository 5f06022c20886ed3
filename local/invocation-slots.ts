// Local runtime: how many function invocations run at once on this machine. In AWS each concurrent invocation has a
// CPU share of its own; here every worker shares the machine's cores, and a burst of bcrypt hashes would stretch
// each of them past its deadline. So invocations wait their turn, as a throttled API would queue them, and an
// invocation's own 10 s deadline starts only when it runs: a burst is answered late, never wrongly.

/** What a request that waited too long for a turn gets: nothing of it ran. */
export const TURN_TIMED_OUT = Symbol('turn timed out');

export interface InvocationSlots {
  /** Runs `invoke` once a slot is free; resolves TURN_TIMED_OUT, without running it, after waiting `maxWaitMs`. */
  run<T>(invoke: () => Promise<T>, maxWaitMs: number): Promise<T | typeof TURN_TIMED_OUT>;
}

export function createInvocationSlots(limit: number): InvocationSlots {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    running -= 1;
    waiting.shift()?.();
  };
  return {
    async run(invoke, maxWaitMs) {
      if (running >= limit) {
        const turn = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => {
            waiting.splice(waiting.indexOf(start), 1);
            resolve(false);
          }, maxWaitMs);
          const start = () => {
            clearTimeout(timer);
            resolve(true);
          };
          waiting.push(start);
        });
        if (!turn) return TURN_TIMED_OUT;
      }
      running += 1;
      try {
        return await invoke();
      } finally {
        release();
      }
    },
  };
}
