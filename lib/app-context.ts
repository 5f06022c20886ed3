// Infrastructure: the CDK app's context (`cdk synth -c stage=prod -c senderEmail=…`), read and validated once at
// synth time so a bad or missing value stops the synth with one line that names it, before any construct is built.
import type { App } from 'aws-cdk-lib';
import { z } from 'zod';
import { BREACH_LOOKUP_MAX_TIMEOUT_MS, BREACH_LOOKUP_MIN_TIMEOUT_MS } from '../functions/adapters/clients/sdk-budget';

/** The stage whose data is disposable: everything else keeps its tables, pepper and logs when the stacks go. */
export const DISPOSABLE_STAGE = 'dev';

/** The dev stage's sender when none is given: a placeholder that SES refuses until the address is verified. */
export const DEV_SENDER_EMAIL = 'no-reply@example.com';

/** The values every stage but dev must be given, with an example of each for the error message. */
const REQUIRED_OUTSIDE_DEV = {
  senderEmail: 'no-reply@your-domain.example',
  alarmEmail: 'ops@your-domain.example',
} as const;

/** A context value given once on the command line (`a,b`) or as a JSON array in cdk.json. */
const listOf = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (value) => (typeof value === 'string' ? value.split(',').map((part) => part.trim()).filter(Boolean) : value),
    z.array(item, { error: 'must be a comma-separated list' }),
  );

/** An origin as a browser sends it: https, a host, an optional port, nothing after. */
const Origin = z
  .string()
  .regex(/^https:\/\/[a-z0-9.-]+(:\d{1,5})?$/, 'must list https origins such as https://console.example.com (no path, no trailing slash)');

/** A recipient identity verified in SES: an address, or a whole domain. */
const RecipientIdentity = z
  .string()
  .regex(/^([^@\s,]+@)?[a-z0-9-]+(\.[a-z0-9-]+)+$/i, 'must list email addresses or domains verified in SES');

const BREACH_TIMEOUT_RANGE = `must be a whole number of milliseconds from ${BREACH_LOOKUP_MIN_TIMEOUT_MS} to ${BREACH_LOOKUP_MAX_TIMEOUT_MS}`;

const AppContext = z.object({
  /** Names the stacks and the API stage; `dev` is the only stage whose data may be destroyed with its stacks. */
  stage: z
    .string({ error: 'must be a string' })
    .regex(/^[a-z][a-z0-9-]{0,19}$/, 'must be 1 to 20 lowercase letters, digits or hyphens, starting with a letter')
    .default(DISPOSABLE_STAGE),
  /**
   * The deployed bcrypt cost. At least 10 (OWASP Password Storage); at most 14, since on the hashing functions' one
   * vCPU (lib/api-function.ts) one hash at cost 14 takes about 2 s and a sign-in that rehashes does two within the
   * 10 s timeout.
   */
  bcryptCost: z.coerce
    .number({ error: 'must be a whole number from 10 to 14' })
    .int('must be a whole number from 10 to 14')
    .min(10, 'must be a whole number from 10 to 14')
    .max(14, 'must be a whole number from 10 to 14')
    .default(12),
  /**
   * The scheme of new password hashes: bcrypt (bcryptjs, the default) or argon2id (Node's built-in crypto.argon2 at
   * OWASP's minimum, 19 MiB and 2 passes). Stored hashes of either scheme keep verifying, and each admin's moves to
   * the chosen one at his next sign-in; until all have moved, sign-in time tells the unmoved accounts apart (README).
   */
  passwordHashScheme: z.enum(['bcrypt', 'argon2id'], { error: 'must be bcrypt or argon2id' }).default('bcrypt'),
  /** The From address of every email. Required outside dev. */
  senderEmail: z.email({ error: 'must be an email address' }).optional(),
  /**
   * What the stack verifies in SES for the sender: the address alone (SES mails it a link to click), or its whole
   * domain (three DKIM CNAME records to add to the domain's DNS, which also signs the mail).
   */
  senderIdentity: z.enum(['address', 'domain'], { error: 'must be address or domain' }).default('address'),
  /**
   * Where emailed links point (the Password Change Screen is served by the API itself).
   * @default the API's own execute-api URL
   */
  publicBaseUrl: z
    .url({ protocol: /^https$/, error: 'must be an https URL' })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
  /** Who is emailed when an alarm fires. Required outside dev. */
  alarmEmail: z.email({ error: 'must be an email address' }).optional(),
  /** Browser origins allowed to call the API cross-origin (the admin console). None: no CORS at all. */
  allowedOrigins: listOf(Origin).default([]),
  /**
   * Recipients verified in SES while the account is in the SES sandbox. There SES also checks the sending role's
   * permission against each recipient's identity, so the mailing functions are granted these too. Leave it empty
   * once the account has production access.
   */
  sandboxRecipients: listOf(RecipientIdentity).default([]),
  /**
   * The breached-password check: the base URL of Pwned Passwords' API (https://api.pwnedpasswords.com) turns it on for
   * the functions that judge new passwords. Off when absent.
   */
  pwnedPasswordsUrl: z
    .url({ protocol: /^https$/, error: 'must be an https URL such as https://api.pwnedpasswords.com' })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
  /**
   * How long one breached-password lookup may take before the password is judged without it.
   * @default 1500 (BREACH_LOOKUP_TIMEOUT_MS)
   */
  pwnedPasswordsTimeoutMs: z.coerce
    .number({ error: BREACH_TIMEOUT_RANGE })
    .int(BREACH_TIMEOUT_RANGE)
    .min(BREACH_LOOKUP_MIN_TIMEOUT_MS, BREACH_TIMEOUT_RANGE)
    .max(BREACH_LOOKUP_MAX_TIMEOUT_MS, BREACH_TIMEOUT_RANGE)
    .optional(),
});

type ParsedContext = z.output<typeof AppContext>;

/** The validated configuration of one deployment of adminpass. */
export type AppContext = ParsedContext & { readonly senderEmail: string };

/** The validated context of the app, or an error whose one-line message names each bad or missing key. */
export function readAppContext(app: App): AppContext {
  const raw = Object.fromEntries(Object.keys(AppContext.shape).map((key) => [key, app.node.tryGetContext(key) as unknown]));
  const result = AppContext.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const key = String(issue.path[0]);
      return `context ${key}=${JSON.stringify(raw[key])} ${issue.message}`;
    });
    throw new Error(`adminpass: invalid ${problems.join('; ')}`);
  }
  const context = result.data;
  if (context.stage !== DISPOSABLE_STAGE) {
    // Outside dev a placeholder sender would be refused by SES, and an alarm nobody receives is no alarm.
    const missing = (Object.keys(REQUIRED_OUTSIDE_DEV) as (keyof typeof REQUIRED_OUTSIDE_DEV)[]).filter((key) => context[key] === undefined);
    if (missing.length > 0) {
      const example = missing.map((key) => `-c ${key}=${REQUIRED_OUTSIDE_DEV[key]}`).join(' ');
      throw new Error(`adminpass: missing context ${missing.join(', ')} (required for stage ${context.stage}): ${example}`);
    }
  }
  if (context.pwnedPasswordsTimeoutMs !== undefined && context.pwnedPasswordsUrl === undefined) {
    // A timeout alone would look like a check that is on.
    throw new Error('adminpass: context pwnedPasswordsTimeoutMs needs pwnedPasswordsUrl: -c pwnedPasswordsUrl=https://api.pwnedpasswords.com');
  }
  return { ...context, senderEmail: context.senderEmail ?? DEV_SENDER_EMAIL };
}
