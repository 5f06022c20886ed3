// The AttemptLimiter contract, run against the in-memory fake that the use-case tests use.
import { InMemoryAttemptLimiter } from '../domain/fakes';
import { attemptLimiterContract } from './attempt-limiter-contract';

attemptLimiterContract('in memory', ({ maxAttempts, windowMinutes }) => new InMemoryAttemptLimiter(maxAttempts, windowMinutes));
