// Unit tests of the local runtime's invocation slots: at most N invocations run at once, the rest wait their turn
// in order, and one that waits too long is answered without ever running.
import { TURN_TIMED_OUT, createInvocationSlots } from '../../local/invocation-slots';

/** An invocation the test finishes by hand. */
function controlled() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { done, finish };
}

describe('when more invocations arrive than there are slots', () => {
  it('runs no more than the limit at once and the rest in arrival order', async () => {
    // Prepare
    const slots = createInvocationSlots(2);
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const gates = Array.from({ length: 5 }, () => controlled());

    // Act
    const runs = gates.map((gate, index) =>
      slots.run(async () => {
        started.push(index);
        running += 1;
        most = Math.max(most, running);
        await gate.done;
        running -= 1;
        return index;
      }, 60_000),
    );
    for (const gate of gates) {
      await new Promise((resolve) => setImmediate(resolve));
      gate.finish();
    }

    // Assess
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });
});

describe('when an invocation waits longer than it may', () => {
  it('answers TURN_TIMED_OUT without running it, and the slot still serves the next one', async () => {
    // Prepare
    const slots = createInvocationSlots(1);
    const blocker = controlled();
    const busy = slots.run(() => blocker.done, 60_000);
    let ran = false;

    // Act
    const waited = await slots.run(async () => {
      ran = true;
    }, 20);
    blocker.finish();
    await busy;
    const next = await slots.run(async () => 'served', 60_000);

    // Assess
    expect(waited).toBe(TURN_TIMED_OUT);
    expect(ran).toBe(false);
    expect(next).toBe('served');
  });
});
