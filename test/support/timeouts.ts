// Test support: the bounds of slow set-up, apart from the 30 s each test gets (jest.config.ts). On two cores that
// other work keeps busy, starting Java or Chromium or synthesizing the app takes several times what it takes idle;
// set-up gets its own, larger bound so a busy machine is slow, not red, and a hung set-up still fails.

/** Starting a browser, DynamoDB Local, or the local API with its first imports. */
export const SETUP_TIMEOUT_MS = 120_000;

/** Synthesizing the whole app in process (about 30 s measured on two busy cores). */
export const SYNTH_TIMEOUT_MS = 180_000;
