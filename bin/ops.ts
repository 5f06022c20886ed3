// Entry point: `npm run ops -- <command> [flags]`, the service operator's commands (functions/use-cases/operator.ts).
// Against the local stack of `npm start` by default, against AWS with --aws. This file only parses flags, builds the
// adapters and prints; exit codes: 0 done, 1 refused or failed, 2 bad arguments.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESClient } from '@aws-sdk/client-ses';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { createDynamoAuditLog } from '../functions/adapters/dynamodb/audit-log';
import { createDynamoDirectoryStores } from '../functions/adapters/dynamodb/directory-stores';
import { TABLES, type TableKey } from '../functions/adapters/dynamodb/table-definitions';
import { stackOutputs } from '../functions/adapters/cloudformation/stack-outputs';
import { createSesMailer } from '../functions/adapters/ses/ses-mailer';
import { PublicBaseUrl, lifetimeConfig } from '../functions/config';
import { CompanyId, Email, PersonName } from '../functions/contract/schemas';
import { FEATURES, RESETS_PER_DAY_MAX, RESETS_PER_DAY_MIN, type Company } from '../functions/domain/company';
import { DomainError } from '../functions/domain/errors';
import { createPasswordHasher } from '../functions/domain/password-hashing';
import { localTableNames } from '../local/dynamodb-local';
import { LOCAL_SENDER, TABLE_PREFIX } from '../local/local-stack';
import {
  OperatorRefusal,
  clearSuppressedAddressAsOperator,
  createCompanyWithMaster,
  listCompanies,
  resetMasterPassword,
  setCompanyFeature,
  setResetsPerDay,
} from '../functions/use-cases/operator';

/** The stack output that names a table (lib/stateless-stack.ts names them after the table's construct id). */
const outputOf = (key: TableKey): string => `${TABLES[key].constructId}Name`;

const USAGE = `usage: npm run ops -- <command> [flags] [where]

commands:
  create-company --id <id> --name <name> --master-email <email> --master-name <name>
      creates the company and its first master, who gets a set-up link by email, never a password
  enable-feature --company <id> --feature <${FEATURES.join('|')}>
  disable-feature --company <id> --feature <${FEATURES.join('|')}>
  reset-master --company <id> --email <email>
      emails a master who cannot sign in a password reset link, at his registered address
  set-limit --company <id> --resets-per-day <${RESETS_PER_DAY_MIN}-${RESETS_PER_DAY_MAX}|default>
      the most reset emails the company's masters may send in a UTC day; default: the deployment's
  clear-suppression --company <id> --email <email>
      lets reset emails go again to an address that bounced or complained (a master can do it himself)
  list-companies
      one line per company: id, name, active masters, features

where (default: the local stack of \`npm start\`, on DYNAMODB_PORT, SES_PORT and PORT or 8000, 8005 and 3000):
  --aws                     AWS, with the default credential chain and region (AWS_PROFILE, AWS_REGION);
  --stack <name>            with --aws: read the values below from the stack's outputs (adminpass-<stage>)
                            or give them yourself: the deployed stack's outputs of those names
  --directory-table <name>  output ${outputOf('directory')}
  --tokens-table <name>     output ${outputOf('tokens')}
  --audit-table <name>      output ${outputOf('audit')}
  --public-base-url <url>   output PublicBaseUrl: where emailed links point (https)
  --sender <email>          output SenderEmail: the From address of the emails
  --configuration-set <name> output SenderConfigurationSet: the SES configuration set the emails name (optional)
  Given without --aws, these flags replace the local stack's values.`;

/** The service's default bcrypt cost, so the first master's throwaway hash looks like any other while it exists. */
const THROWAWAY_HASH_COST = 12;

class UsageError extends Error {}

const COMMAND_FLAGS = {
  'create-company': ['id', 'name', 'master-email', 'master-name'],
  'enable-feature': ['company', 'feature'],
  'disable-feature': ['company', 'feature'],
  'reset-master': ['company', 'email'],
  'set-limit': ['company', 'resets-per-day'],
  'clear-suppression': ['company', 'email'],
  'list-companies': [],
} as const satisfies Record<string, readonly string[]>;
type CommandName = keyof typeof COMMAND_FLAGS;

const WHERE_FLAGS = ['directory-table', 'tokens-table', 'audit-table', 'public-base-url', 'sender', 'configuration-set', 'stack'] as const;
/** The where-flags --aws does not require: --stack, and the configuration set (without it a send goes through the identity's default set). */
const OPTIONAL_WHERE_FLAGS: readonly string[] = ['stack', 'configuration-set'];
const STRING_FLAGS = [...new Set([...Object.values(COMMAND_FLAGS).flat(), ...WHERE_FLAGS])];

const TableName = z.string().min(3).max(255);
/** A daily limit in the domain's range, or `default` (unset); kept as text, read by resetsPerDayOf. */
const ResetsPerDayFlag = z
  .string()
  .refine((value) => value === 'default' || (/^\d{1,6}$/.test(value) && Number(value) >= RESETS_PER_DAY_MIN && Number(value) <= RESETS_PER_DAY_MAX), {
    message: `a whole number from ${RESETS_PER_DAY_MIN} to ${RESETS_PER_DAY_MAX}, or "default"`,
  });
const resetsPerDayOf = (flag: string): number | undefined => (flag === 'default' ? undefined : Number(flag));
const Port = z.coerce.number().int().min(1).max(65_535);
const FLAG_SCHEMAS: Record<string, z.ZodType<string>> = {
  id: CompanyId,
  company: CompanyId,
  name: PersonName,
  'master-name': PersonName,
  'master-email': Email,
  email: Email,
  feature: z.enum(FEATURES),
  'resets-per-day': ResetsPerDayFlag,
  'directory-table': TableName,
  'tokens-table': TableName,
  'audit-table': TableName,
  'public-base-url': PublicBaseUrl,
  sender: Email,
};

function valid<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new UsageError(`${what}: ${result.error.issues.map((issue) => issue.message).join('; ')}`);
  return result.data;
}

interface Invocation {
  readonly command: CommandName;
  readonly flags: Readonly<Record<string, string>>;
  readonly aws: boolean;
}

function parseInvocation(args: readonly string[]): Invocation | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: { aws: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, ...Object.fromEntries(STRING_FLAGS.map((flag) => [flag, { type: 'string' as const }])) },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { help, aws, ...given } = parsed.values as Record<string, string | boolean | undefined>;
  if (help === true) return 'help';
  const [command, ...extra] = parsed.positionals;
  if (command === undefined) throw new UsageError('no command given');
  if (!Object.hasOwn(COMMAND_FLAGS, command)) throw new UsageError(`unknown command "${command}"`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const wanted: readonly string[] = COMMAND_FLAGS[command as CommandName];
  const flags: Record<string, string> = {};
  for (const [flag, value] of Object.entries(given)) {
    if (!wanted.includes(flag) && !(WHERE_FLAGS as readonly string[]).includes(flag)) throw new UsageError(`${command} takes no --${flag}`);
    flags[flag] = FLAG_SCHEMAS[flag] ? valid(FLAG_SCHEMAS[flag], value, `--${flag}`) : String(value);
  }
  const missing = wanted.filter((flag) => flags[flag] === undefined);
  if (missing.length > 0) throw new UsageError(`${command} needs ${missing.map((flag) => `--${flag}`).join(', ')}`);
  return { command: command as CommandName, flags, aws: aws === true };
}

interface Target {
  readonly description: string;
  readonly tables: { readonly directory: string; readonly tokens: string; readonly audit: string };
  readonly publicBaseUrl: string;
  readonly sender: string;
  /** The stage's SES configuration set, named on every send; none locally. */
  readonly configurationSet?: string;
  /** The local emulators' endpoints; absent for AWS, where the SDK finds endpoints, region and credentials itself. */
  readonly local?: { readonly dynamoDb: string; readonly ses: string };
}

/** The flags a deployed stack's outputs answer, by output key. */
const OUTPUT_FLAGS = {
  'directory-table': outputOf('directory'),
  'tokens-table': outputOf('tokens'),
  'audit-table': outputOf('audit'),
  'public-base-url': 'PublicBaseUrl',
  sender: 'SenderEmail',
  'configuration-set': 'SenderConfigurationSet',
} as const;

/** Fills the flags not given from the outputs of --stack (AWS only); explicit flags win. */
async function withStackOutputs(invocation: Invocation): Promise<Invocation> {
  const { flags } = invocation;
  if (flags.stack === undefined) return invocation;
  const outputs = await stackOutputs(flags.stack);
  const fromStack = Object.fromEntries(
    Object.entries(OUTPUT_FLAGS).flatMap(([flag, key]) => (outputs[key] === undefined ? [] : [[flag, valid(FLAG_SCHEMAS[flag] ?? z.string(), outputs[key], key)]])),
  );
  return { ...invocation, flags: { ...fromStack, ...flags } };
}

/** Where the command runs: the local stack by default, AWS with --aws; explicit flags always win. */
function targetOf({ flags, aws }: Invocation): Target {
  if (aws) {
    const missing = WHERE_FLAGS.filter((flag) => !OPTIONAL_WHERE_FLAGS.includes(flag) && flags[flag] === undefined);
    if (missing.length > 0) throw new UsageError(`--aws needs ${missing.map((flag) => `--${flag}`).join(', ')}`);
  }
  const port = (variable: string, fallback: number) => valid(Port, process.env[variable] || fallback, variable);
  const local = localTableNames(TABLE_PREFIX);
  const dynamoDb = `http://127.0.0.1:${port('DYNAMODB_PORT', 8000)}`;
  return {
    description: aws ? 'AWS' : `the local stack (DynamoDB Local at ${dynamoDb})`,
    tables: { directory: flags['directory-table'] ?? local.directory, tokens: flags['tokens-table'] ?? local.tokens, audit: flags['audit-table'] ?? local.audit },
    publicBaseUrl: flags['public-base-url'] ?? `http://127.0.0.1:${port('PORT', 3000)}`,
    sender: flags.sender ?? LOCAL_SENDER,
    ...(flags['configuration-set'] === undefined ? {} : { configurationSet: flags['configuration-set'] }),
    ...(aws ? {} : { local: { dynamoDb, ses: `http://127.0.0.1:${port('SES_PORT', 8005)}` } }),
  };
}

const quote = (text: string): string => JSON.stringify(text);
const companyLine = (company: Company): string =>
  `${company.companyId}  ${quote(company.name)}  active masters: ${company.activeMasterCount}  features: ${company.features.join(', ') || 'none'}` +
  (company.resetsPerDay === undefined ? '' : `  resets per day: ${company.resetsPerDay}`);
const limitText = (limit: number | undefined): string => (limit === undefined ? "the deployment's default" : String(limit));

async function run(invocation: Invocation, target: Target): Promise<string[]> {
  const clientConfig = target.local
    ? { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
    : {};
  const dynamoDbClient = new DynamoDBClient({ ...clientConfig, ...(target.local ? { endpoint: target.local.dynamoDb } : {}) });
  const sesClient = new SESClient({ ...clientConfig, ...(target.local ? { endpoint: target.local.ses } : {}) });
  const random = { bytes: (count: number) => randomBytes(count) };
  const documentClient = DynamoDBDocumentClient.from(dynamoDbClient, { marshallOptions: { removeUndefinedValues: true } });
  const deps = {
    ...createDynamoDirectoryStores(documentClient, target.tables),
    auditLog: createDynamoAuditLog(documentClient, target.tables.audit),
    mailer: createSesMailer(sesClient, target.sender, target.configurationSet),
    // The pepper only matters for verifying a password, and the one hash made here (the first master's throwaway
    // password) is never verified, so a random pepper does: the CLI needs no secret.
    hasher: createPasswordHasher({ pepper: randomBytes(32), cost: THROWAWAY_HASH_COST }),
    clock: { now: () => new Date() },
    random,
    lifetimes: { resetLinkMinutes: lifetimeConfig().RESET_LINK_TTL_MINUTES },
    publicBaseUrl: target.publicBaseUrl,
  };
  const { flags } = invocation;
  try {
    switch (invocation.command) {
      case 'create-company': {
        const request = { companyId: flags.id!, companyName: flags.name!, masterEmail: flags['master-email']!, masterName: flags['master-name']! };
        const { master, setUpLink } = await createCompanyWithMaster(request, deps);
        return [
          `Created company ${request.companyId} (${quote(request.companyName)}) with master ${quote(master.name)} <${master.email}>.`,
          `Emailed him a set-up link, valid until ${setUpLink.expiresAt}; he has no password until he sets one.`,
        ];
      }
      case 'enable-feature':
      case 'disable-feature': {
        const enabled = invocation.command === 'enable-feature';
        const request = { companyId: flags.company!, feature: flags.feature as (typeof FEATURES)[number], enabled };
        const { changed } = await setCompanyFeature(request, deps);
        const state = enabled ? 'enabled' : 'disabled';
        return [changed ? `${state === 'enabled' ? 'Enabled' : 'Disabled'} ${request.feature} for ${request.companyId}.` : `${request.feature} was already ${state} for ${request.companyId}; nothing changed.`];
      }
      case 'reset-master': {
        const sent = await resetMasterPassword({ companyId: flags.company!, email: flags.email! }, deps);
        return [
          `Emailed a password reset link to ${sent.sentTo}, master of ${flags.company}, valid until ${sent.expiresAt}.`,
          'His old password no longer works and his sessions are signed out; nothing else changed.',
        ];
      }
      case 'set-limit': {
        const request = { companyId: flags.company!, resetsPerDay: resetsPerDayOf(flags['resets-per-day']!) };
        const { changed, previous } = await setResetsPerDay(request, deps);
        return [
          changed
            ? `Set the daily limit of reset emails of ${request.companyId} to ${limitText(request.resetsPerDay)} (was ${limitText(previous)}).`
            : `The daily limit of reset emails of ${request.companyId} was already ${limitText(request.resetsPerDay)}; nothing changed.`,
        ];
      }
      case 'clear-suppression': {
        const cleared = await clearSuppressedAddressAsOperator({ companyId: flags.company!, email: flags.email! }, deps);
        return [`Cleared ${cleared.email} in ${flags.company}: reset emails may go to it again.`];
      }
      case 'list-companies': {
        const companies = await listCompanies(deps);
        return companies.length === 0 ? ['No companies.'] : companies.map(companyLine);
      }
    }
  } finally {
    dynamoDbClient.destroy();
    sesClient.destroy();
  }
}

/** One line for a failure nobody refused on purpose: unreachable emulator, missing table, AWS permissions. */
function failureLine(error: unknown, target: Target): string {
  const message = error instanceof Error ? error.message || error.name : String(error);
  const unreachable = /ECONNREFUSED/.test(`${(error as { code?: string }).code ?? ''} ${message}`);
  return unreachable && target.local ? `ops failed: nothing answers at ${target.local.dynamoDb}; is \`npm start\` running?` : `ops failed on ${target.description}: ${message}`;
}

async function main(args: readonly string[]): Promise<number> {
  let invocation: Invocation | 'help';
  let target: Target;
  try {
    invocation = parseInvocation(args);
    if (invocation === 'help') {
      console.log(USAGE);
      return 0;
    }
    if (invocation.flags.stack !== undefined && !invocation.aws) throw new UsageError('--stack names a deployed stack: use it with --aws');
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  try {
    target = targetOf(await withStackOutputs(invocation));
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    console.error(`ops failed reading the stack ${invocation.flags.stack}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  try {
    for (const line of await run(invocation, target)) console.log(line);
    return 0;
  } catch (error) {
    if (error instanceof OperatorRefusal || error instanceof DomainError) console.error(error.message);
    else console.error(failureLine(error, target));
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
