// Infrastructure: the settings of one stage: its file in config/stages/ (lib/stage-files.ts loads it), under any
// CDK context given on the command line (`-c bcryptCost=13`), read and validated once at synth time so a bad or
// missing value stops the synth with one line that names it, before any construct is built.
import type { App } from 'aws-cdk-lib';
import { z } from 'zod';
import { BREACH_LOOKUP_MAX_TIMEOUT_MS, BREACH_LOOKUP_MIN_TIMEOUT_MS } from '../functions/adapters/clients/sdk-budget';

/** The stage whose data is disposable: everything else keeps its tables, pepper and logs when the stacks go. */
export const DISPOSABLE_STAGE = 'dev';

/** The dev stage's sender when none is given: a placeholder that SES refuses until the address is verified. */
export const DEV_SENDER_EMAIL = 'no-reply@example.com';

/** The values every stage but dev must be given, with an example of each for the error message. */
const REQUIRED_OUTSIDE_DEV = {
  account: '123456789012',
  region: 'eu-west-1',
  senderEmail: 'no-reply@your-domain.example',
  alarmEmail: 'ops@your-domain.example',
} as const;

/** A stage's name: it names stacks, the API stage and its stage file, so it is kept to what all of them accept. */
export const STAGE_NAME = /^[a-z][a-z0-9-]{0,19}$/;

/** A DNS name in lowercase, at least two labels, without the trailing dot. */
const DomainName = z
  .string({ error: 'must be a domain name such as admin.your-domain.example' })
  .regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a domain name such as admin.your-domain.example');

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
    .regex(STAGE_NAME, 'must be 1 to 20 lowercase letters, digits or hyphens, starting with a letter')
    .default(DISPOSABLE_STAGE),
  /**
   * The AWS account the stage's stacks are pinned to: the app refuses credentials of another account. Required
   * outside dev; dev without it is environment-agnostic and deploys where the credentials point.
   */
  account: z.string({ error: 'must be a 12-digit AWS account id' }).regex(/^\d{12}$/, 'must be a 12-digit AWS account id').optional(),
  /** The region the stage's stacks are pinned to, with the account. Required outside dev. */
  region: z
    .string({ error: 'must be an AWS region such as eu-west-1' })
    .regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'must be an AWS region such as eu-west-1')
    .optional(),
  /**
   * An API Gateway custom domain for the stage: a certificate validated in the hosted zone, the domain mapped to the
   * stage at its root, and an alias record to it in the zone. Emailed links then point at https://<domainName>.
   * @default - none: the API's execute-api URL
   */
  customDomain: z
    .object(
      {
        /** The name clients and emailed links use, e.g. admin.your-domain.example. */
        domainName: DomainName,
        /** The Route 53 public hosted zone the name is in: its id (Z…) and its name. */
        hostedZoneId: z.string({ error: 'must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ' }).regex(/^Z[A-Z0-9]{1,31}$/, 'must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ'),
        hostedZoneName: DomainName,
      },
      { error: 'must be { domainName, hostedZoneId, hostedZoneName }' },
    )
    .refine(({ domainName, hostedZoneName }) => domainName === hostedZoneName || domainName.endsWith(`.${hostedZoneName}`), 'domainName must be in hostedZoneName')
    .optional(),
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
   * domain (three DKIM CNAME records to add to the domain's DNS, which also signs the mail). `existing`: another
   * stage in the same account and region owns the identity of this sender (SES has one per address or domain); this
   * stage makes none and sends as it through its own configuration set (lib/sender-identity.ts).
   */
  senderIdentity: z.enum(['address', 'domain', 'existing'], { error: 'must be address, domain or existing' }).default('address'),
  /**
   * A custom MAIL FROM domain for the sender's domain identity (e.g. bounce.your-domain.example): the envelope sender
   * SPF is checked against, so SPF aligns with the From domain for DMARC. Its MX and SPF records are stack outputs.
   * Only with senderIdentity domain.
   * @default - none: SES's own amazonses.com
   */
  mailFromDomain: DomainName.optional(),
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

/** What a stage file (config/stages/<stage>.ts) sets: every setting but the stage, which is the file's name. */
export type StageSettings = Partial<Omit<ParsedContext, 'stage'>>;

const SETTING_KEYS = Object.keys(AppContext.shape);

/**
 * The validated settings of the stage: the stage file's, each overridden by the CDK context of the same key when
 * given; or an error whose one-line message names each bad, missing or unknown key.
 */
export function readAppContext(app: App, stageSettings: StageSettings = {}): AppContext {
  const unknown = Object.keys(stageSettings).filter((key) => key === 'stage' || !SETTING_KEYS.includes(key));
  if (unknown.length > 0) throw new Error(`adminpass: the stage file sets ${unknown.join(', ')}, which is not a stage setting (config/stages/prod.example.ts lists them)`);
  const settings = stageSettings as Record<string, unknown>;
  const raw = Object.fromEntries(SETTING_KEYS.map((key) => [key, (app.node.tryGetContext(key) as unknown) ?? settings[key]]));
  const result = AppContext.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      // A nested setting (customDomain.domainName) is named by its path, as deep as the given value goes: a list
      // given as one string is named whole.
      let value: unknown = raw;
      const named: PropertyKey[] = [];
      for (const step of issue.path) {
        if (value === null || typeof value !== 'object') break;
        value = (value as Record<PropertyKey, unknown>)[step];
        named.push(step);
      }
      return `context ${named.map(String).join('.')}=${JSON.stringify(value)} ${issue.message}`;
    });
    throw new Error(`adminpass: invalid ${problems.join('; ')}`);
  }
  const context = result.data;
  if (context.stage !== DISPOSABLE_STAGE) {
    // Outside dev a placeholder sender would be refused by SES, and an alarm nobody receives is no alarm.
    const missing = (Object.keys(REQUIRED_OUTSIDE_DEV) as (keyof typeof REQUIRED_OUTSIDE_DEV)[]).filter((key) => context[key] === undefined);
    if (missing.length > 0) {
      const example = missing.map((key) => `${key}: '${REQUIRED_OUTSIDE_DEV[key]}'`).join(', ');
      throw new Error(`adminpass: missing ${missing.join(', ')} (required for stage ${context.stage}): set { ${example} } in config/stages/${context.stage}.ts`);
    }
  }
  if (context.pwnedPasswordsTimeoutMs !== undefined && context.pwnedPasswordsUrl === undefined) {
    // A timeout alone would look like a check that is on.
    throw new Error('adminpass: context pwnedPasswordsTimeoutMs needs pwnedPasswordsUrl: -c pwnedPasswordsUrl=https://api.pwnedpasswords.com');
  }
  if ((context.account === undefined) !== (context.region === undefined)) {
    // Half an environment would pin the stacks to a region of whatever account the credentials name, or the reverse.
    throw new Error('adminpass: context account and region go together: give both, or neither (dev only)');
  }
  if (context.mailFromDomain !== undefined && context.senderIdentity !== 'domain') {
    // A MAIL FROM domain belongs to a domain identity: SES refuses it on an address identity.
    throw new Error('adminpass: context mailFromDomain needs senderIdentity=domain');
  }
  const senderDomain = context.senderEmail?.slice(context.senderEmail.lastIndexOf('@') + 1);
  if (context.mailFromDomain !== undefined && !context.mailFromDomain.endsWith(`.${senderDomain}`)) {
    // SES takes only a subdomain of the identity's domain as its MAIL FROM domain.
    throw new Error(`adminpass: context mailFromDomain=${context.mailFromDomain} must be a subdomain of the sender's domain ${senderDomain}, such as bounce.${senderDomain}`);
  }
  return { ...context, senderEmail: context.senderEmail ?? DEV_SENDER_EMAIL };
}

/**
 * Refuses to build a stage pinned to one account with the credentials of another: `credentialsAccount` is the
 * account the CDK CLI found the credentials to be for (CDK_DEFAULT_ACCOUNT), unknown when there are none (a synth
 * offline), and then nothing is deployed anyway.
 */
export function checkCredentialsAccount(context: Pick<AppContext, 'stage' | 'account'>, credentialsAccount: string | undefined): void {
  if (context.account === undefined || credentialsAccount === undefined || credentialsAccount === context.account) return;
  throw new Error(
    `adminpass: stage ${context.stage} belongs to account ${context.account}, but the AWS credentials in use are for account ${credentialsAccount}: ` +
      `use credentials of ${context.account} (AWS_PROFILE=…), or check config/stages/${context.stage}.ts`,
  );
}
