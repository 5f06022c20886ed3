// Use-case layer: the dependencies use cases receive. Each use case names the subset it needs, so a handler wires
// (and bundles) only those adapters.
import type { BreachedPasswords } from '../domain/breached-passwords';
import type { PasswordHasher } from '../domain/password-hashing';
import type { GuessabilityLoader } from './password-rules';
import type {
  AdminAccounts,
  AttemptLimiter,
  AuditLog,
  ChallengeStore,
  Clock,
  CompanyStore,
  CredentialStore,
  DeliverySuppressions,
  Mailer,
  RandomSource,
  ResetLimits,
  ResetTokenStore,
  SessionStore,
  SignInAttempts,
} from '../domain/ports';

/** How long things live, in minutes; from configuration. */
export interface Lifetimes {
  readonly sessionMinutes: number;
  readonly challengeMinutes: number;
  readonly resetLinkMinutes: number;
}

export interface Dependencies {
  readonly companies: CompanyStore;
  readonly admins: AdminAccounts;
  readonly credentials: CredentialStore;
  readonly attempts: SignInAttempts;
  readonly sessions: SessionStore;
  readonly challenges: ChallengeStore;
  readonly hasher: PasswordHasher;
  /** Loads zxcvbn's judgement of a new password; only the functions that judge new passwords are handed it. */
  readonly guessability: GuessabilityLoader;
  /** The breached-password judge, given to the same functions; undefined where the deployment leaves it off. */
  readonly breachedPasswords: BreachedPasswords | undefined;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly lifetimes: Lifetimes;
  readonly resetTokens: ResetTokenStore;
  readonly resetAttempts: AttemptLimiter;
  /** The limits of the master's reset emails. */
  readonly resetLimits: ResetLimits;
  readonly mailer: Mailer;
  /** The addresses each company's reset emails no longer go to (permanent bounces, complaints). */
  readonly suppressions: DeliverySuppressions;
  readonly auditLog: AuditLog;
  /** Where emailed links point: the configured public URL of this service, without a trailing slash. */
  readonly publicBaseUrl: string;
}

export const addMinutes = (time: Date, minutes: number): string => new Date(time.getTime() + minutes * 60_000).toISOString();

/**
 * True once the instant has passed, and for an unreadable instant (fail closed). DynamoDB TTL deletes expired items
 * days late, so every read asks this.
 */
export const hasExpired = (expiresAt: string | undefined, now: Date): boolean => !(Date.parse(expiresAt ?? '') > now.getTime());
