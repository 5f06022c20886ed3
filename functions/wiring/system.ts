// Composition root: the real clock, randomness and lifetimes. Tests pass their own clock and randomness instead.
import { randomBytes } from 'node:crypto';
import { lifetimeConfig } from '../config';
import type { Clock, RandomSource } from '../domain/ports';
import type { Lifetimes } from '../use-cases/dependencies';

export const systemClock: Clock = { now: () => new Date() };
export const cryptoRandom: RandomSource = { bytes: (count) => randomBytes(count) };

const lifetime = lifetimeConfig();
export const lifetimes: Lifetimes = {
  sessionMinutes: lifetime.SESSION_TTL_MINUTES,
  challengeMinutes: lifetime.CHALLENGE_TTL_MINUTES,
  resetLinkMinutes: lifetime.RESET_LINK_TTL_MINUTES,
};
