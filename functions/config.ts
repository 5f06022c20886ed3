// Configuration: read from the environment once per container and validated with zod, one section per concern
// so a function is asked only for what it uses (the sign-out function needs no pepper).
import * as z from 'zod';
import { droppable } from './contract/droppable';
import { BREACH_LOOKUP_MAX_TIMEOUT_MS, BREACH_LOOKUP_MIN_TIMEOUT_MS, BREACH_LOOKUP_TIMEOUT_MS } from './adapters/clients/sdk-budget';

/**
 * One section: its schema is built, and the environment read, at its first use. A function builds only the sections it
 * reads, and esbuild drops the others: building them all cost every cold start about 10 ms of zod.
 */
/* @__NO_SIDE_EFFECTS__ */
function section<T extends z.ZodType>(name: string, schema: () => T): () => z.output<T> {
  let parsed: z.output<T> | undefined;
  return () => {
    if (parsed === undefined) {
      const result = schema().safeParse(process.env);
      if (!result.success) {
        const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
        throw new Error(`adminpass ${name} configuration is invalid: ${problems}`);
      }
      parsed = result.data;
    }
    return parsed as z.output<T>;
  };
}

const tableName = /* @__PURE__ */ droppable(() => z.string().min(3).max(255));
const optionalUrl = /* @__PURE__ */ droppable(() => z.url().optional());
const minutes = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Table names, set by the stack (or the local runner) on each function that uses the table. */
export const tableConfig = section(
  'table',
  () => z.object({
    DIRECTORY_TABLE: tableName.optional(),
    SESSIONS_TABLE: tableName.optional(),
    TOKENS_TABLE: tableName.optional(),
    AUDIT_TABLE: tableName.optional(),
    IDEMPOTENCY_TABLE: tableName.optional(),
  }),
);

/** Where the SDK clients send requests: AWS itself unless an endpoint points at a local emulator. */
export const endpointConfig = section(
  'endpoint',
  () => z.object({
    AWS_REGION: z.string().min(1).default('us-east-1'),
    DYNAMODB_ENDPOINT: optionalUrl,
    SES_ENDPOINT: optionalUrl,
    SECRETS_ENDPOINT: optionalUrl,
  }),
);

/** Password hashing: cost 12 by default; tests lower it to keep the suite fast. */
export const hashingConfig = section(
  'hashing',
  () => z
    .object({
      BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(12),
      // The scheme of new password hashes; every stored scheme still verifies (functions/domain/password-hashing.ts).
      PASSWORD_HASH_SCHEME: z.enum(['bcrypt', 'argon2id']).default('bcrypt'),
      // Local runs and tests give the pepper directly; deployed functions read it from Secrets Manager.
      PASSWORD_PEPPER: z.string().min(32).optional(),
      PEPPER_SECRET_ARN: z.string().startsWith('arn:').optional(),
    })
    .refine((env) => env.PASSWORD_PEPPER !== undefined || env.PEPPER_SECRET_ARN !== undefined, {
      message: 'set PASSWORD_PEPPER (local) or PEPPER_SECRET_ARN (deployed)',
      path: ['PASSWORD_PEPPER'],
    }),
);

/** A URL emailed links start with: https, or plain http on this machine only; no trailing slash. */
export const PublicBaseUrl = /* @__PURE__ */ droppable(() =>
  z
  .url()
  .refine((url) => /^https:\/\//.test(url) || /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?(\/|$)/.test(url), {
    message: 'must be an https URL (plain http only for 127.0.0.1 or localhost)',
  })
  .transform((url) => url.replace(/\/+$/, '')),
);

/** Email: who sends it, and the public address links point at (never taken from a request's Host header). */
export const mailConfig = section(
  'mail',
  () => z.object({
    SENDER_EMAIL: z.email(),
    /** The stage's SES configuration set, named on every send (absent locally: the emulator has none). */
    SES_CONFIGURATION_SET: z.string().min(1).optional(),
    PUBLIC_BASE_URL: PublicBaseUrl,
  }),
);

/** How many unknown or dead reset links one client may try per window before it gets 429. */
export const attemptLimitConfig = section(
  'attempt limit',
  () => z.object({
    RESET_LINK_MAX_MISSES: z.coerce.number().int().positive().default(10),
    RESET_LINK_MISS_WINDOW_MINUTES: minutes(15),
  }),
);

/**
 * The limits of the master's reset emails (README, "Limits of reset emails"): per master and per target admin in
 * an hour, per company in a day. The company's is the default of an operator setting (`ops set-limit`).
 */
export const resetLimitConfig = section(
  'reset limit',
  () => z.object({
    RESETS_PER_MASTER_PER_HOUR: z.coerce.number().int().positive().default(10),
    RESETS_PER_TARGET_PER_HOUR: z.coerce.number().int().positive().default(3),
    RESETS_PER_COMPANY_PER_DAY: z.coerce.number().int().positive().default(50),
  }),
);

/**
 * The breached-password check (README, "Security decisions"): off unless PWNED_PASSWORDS_URL names the Pwned
 * Passwords API (https://api.pwnedpasswords.com, or a stand-in on this machine); an empty value is off too. Only the
 * functions that judge new passwords are given it.
 */
export const BreachCheckEnvironment = /* @__PURE__ */ droppable(() =>
  z.object({
    PWNED_PASSWORDS_URL: z.preprocess((value) => (value === '' ? undefined : value), PublicBaseUrl.optional()),
    PWNED_PASSWORDS_TIMEOUT_MS: z.coerce.number().int().min(BREACH_LOOKUP_MIN_TIMEOUT_MS).max(BREACH_LOOKUP_MAX_TIMEOUT_MS).default(BREACH_LOOKUP_TIMEOUT_MS),
  }),
);
export const breachCheckConfig = section('breached-password check', () => BreachCheckEnvironment);

/** Browser origins other than the API's own that may call it (a console served elsewhere); none by default. */
export const corsConfig = section(
  'cors',
  () => z.object({
    ALLOWED_ORIGINS: z
      .string()
      .default('')
      .transform((list) => list.split(',').map((origin) => origin.trim()).filter(Boolean))
      .pipe(z.array(z.url())),
  }),
);

/** Lifetimes of sessions, sign-in challenges and reset links (temporary passwords follow the company policy). */
export const lifetimeConfig = section(
  'lifetime',
  () => z.object({
    SESSION_TTL_MINUTES: minutes(8 * 60),
    CHALLENGE_TTL_MINUTES: minutes(10),
    RESET_LINK_TTL_MINUTES: minutes(24 * 60),
  }),
);

/** The required name of a table, or a clear error naming the missing variable. */
export function requireTable(key: keyof ReturnType<typeof tableConfig>): string {
  const name = tableConfig()[key];
  if (name === undefined) throw new Error(`adminpass table configuration is invalid: ${key} is not set`);
  return name;
}
