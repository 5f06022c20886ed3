// Local runtime: the whole service on one machine: DynamoDB Local, the SES emulator, the tables, the demo company
// and the API, configured through the same environment variables the deployed functions read.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoDirectoryStores } from '../functions/adapters/dynamodb/directory-stores';
import { createPasswordHasher } from '../functions/domain/password-hashing';
import { generateTemporaryPassword } from '../functions/domain/tokens';
import { provisionCompany } from '../functions/use-cases/provision-company';
import { guessability } from '../functions/wiring/guessability';
import { breachedPasswords } from '../functions/wiring/breached-passwords';
import { startApiServer, type ApiServer } from './api-server';
import { createTables, localClient, localTableNames, startDynamoDbLocal, stopOrphan, type DynamoDbLocal } from './dynamodb-local';
import { LocalStartError } from './local-start-error';
import { localReadiness } from './readiness';
import { startSesLocal, type SesLocal } from './ses-local';
import { LOCAL_SENDER, loadSynthesizedTemplate } from './synthesized-template';
import { loadFunctionBundles } from './function-bundles';

export interface LocalStackOptions {
  readonly apiPort: number;
  readonly dynamoDbPort: number;
  readonly sesPort: number;
  /** Where data and the local pepper are kept between starts. */
  readonly stateDir: string;
  /** Start from empty data. */
  readonly fresh: boolean;
  /**
   * Keep DynamoDB Local's data in memory only, gone at stop, as the tests do (the benchmark: on a disk, every
   * request waits for the disk).
   * @default false
   */
  readonly inMemory?: boolean;
  /** The demo master's temporary password; generated (and printed once) when absent. */
  readonly demoMasterPassword?: string;
  readonly log: (line: string) => void;
  /**
   * Told, in one line, when DynamoDB Local or the SES emulator dies (the process ended) while the stack runs; `npm
   * start` then stops everything and exits non-zero.
   */
  readonly onPartDied?: (line: string) => void;
}

export interface LocalStack {
  readonly apiUrl: string;
  readonly sesUrl: string;
  stop(): Promise<void>;
}

export const DEMO = { companyId: 'demo', companyName: 'Demo Company', masterEmail: 'master@demo.example', masterName: 'Demo Master' } as const;
/** The local stack's table names start with this; the operator commands use the same. */
export const TABLE_PREFIX = 'adminpass-local';
/** The From address of local emails: the one the template's SES grant is synthesized for. */
export { LOCAL_SENDER };
/** The bcrypt cost of the local stack unless BCRYPT_COST sets another (load tests lower it); the deployed default. */
const DEFAULT_BCRYPT_COST = 12;

/** BCRYPT_COST when set (4 to 15, as the functions accept), else the deployed default. */
export function localBcryptCost(environment: Readonly<Record<string, string | undefined>> = process.env): number {
  const raw = environment.BCRYPT_COST;
  if (raw === undefined || raw === '') return DEFAULT_BCRYPT_COST;
  const cost = Number(raw);
  if (!Number.isInteger(cost) || cost < 4 || cost > 15) throw new LocalStartError(`BCRYPT_COST must be a whole number from 4 to 15, not "${raw}".`);
  return cost;
}

/** The local pepper: made once and kept with the data, since every stored hash depends on it. */
function localPepper(stateDir: string): string {
  const file = join(stateDir, 'pepper');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/**
 * The local settings: the demo seed and the operator commands in this process read them, and the functions' workers
 * take from them what local/function-environment.ts allows (the pepper, BCRYPT_COST, the log level).
 */
function configureEnvironment(dynamoDbEndpoint: string, sesEndpoint: string, pepper: string, publicBaseUrl: string, bcryptCost: number): void {
  const names = localTableNames(TABLE_PREFIX);
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    DYNAMODB_ENDPOINT: dynamoDbEndpoint,
    SES_ENDPOINT: sesEndpoint,
    DIRECTORY_TABLE: names.directory,
    SESSIONS_TABLE: names.sessions,
    TOKENS_TABLE: names.tokens,
    AUDIT_TABLE: names.audit,
    IDEMPOTENCY_TABLE: names.idempotency,
    PASSWORD_PEPPER: pepper,
    BCRYPT_COST: String(bcryptCost),
    SENDER_EMAIL: LOCAL_SENDER,
    PUBLIC_BASE_URL: publicBaseUrl,
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
  });
}

async function seedDemo(dynamoDbEndpoint: string, pepper: string, bcryptCost: number, options: LocalStackOptions): Promise<void> {
  const client = localClient(dynamoDbEndpoint);
  const random = { bytes: (count: number) => randomBytes(count) };
  const temporaryPassword = options.demoMasterPassword ?? generateTemporaryPassword(random);
  try {
    const master = await provisionCompany(
      { ...DEMO, temporaryPassword },
      {
        ...createDynamoDirectoryStores(DynamoDBDocumentClient.from(client), localTableNames(TABLE_PREFIX)),
        hasher: createPasswordHasher({ pepper: Buffer.from(pepper, 'utf8'), cost: bcryptCost }),
        guessability,
        // Off unless PWNED_PASSWORDS_URL is set in the shell that runs `npm start`, as for the handlers.
        breachedPasswords,
        clock: { now: () => new Date() },
        random,
      },
    );
    if (master === undefined) return;
    options.log(
      `Seeded company "${DEMO.companyId}" with master ${DEMO.masterEmail}. Temporary password: ` +
        (options.demoMasterPassword === undefined ? `${temporaryPassword}  (shown once; it expires in 7 days)` : 'the value of DEMO_MASTER_PASSWORD'),
    );
  } finally {
    client.destroy();
  }
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const bcryptCost = localBcryptCost();
  // Before --fresh empties the state folder, which holds the pid file of a DynamoDB Local an earlier start left behind.
  const pidFile = join(options.stateDir, 'dynamodb.pid');
  const orphanStopped = stopOrphan(pidFile, options.log);
  if (options.fresh) rmSync(options.stateDir, { recursive: true, force: true });
  mkdirSync(options.stateDir, { recursive: true });
  const pepper = localPepper(options.stateDir);
  const running: { stop(): Promise<void> }[] = [];
  const stop = async () => {
    for (const part of running.reverse()) await part.stop();
  };
  try {
    const dynamoDb: DynamoDbLocal = await startDynamoDbLocal({
      port: options.dynamoDbPort,
      ...(options.inMemory === true ? {} : { dataDir: join(options.stateDir, 'dynamodb') }),
      pidFile,
      orphanStopped,
    });
    running.push(dynamoDb);
    const ses: SesLocal = await startSesLocal({ port: options.sesPort });
    running.push(ses);
    const died = options.onPartDied ?? options.log;
    dynamoDb.onUnexpectedExit((how) => died(`DynamoDB Local (pid ${dynamoDb.pid}) stopped (${how}); every data route would fail without it.`));
    ses.onUnexpectedExit((how) => died(`The SES emulator stopped (${how}); no email could be sent.`));
    await createTables(dynamoDb.endpoint, localTableNames(TABLE_PREFIX));
    // Links in emails point at this API, which serves the Password Change Screen.
    configureEnvironment(dynamoDb.endpoint, ses.endpoint, pepper, `http://127.0.0.1:${options.apiPort}`, bcryptCost);
    if (bcryptCost !== DEFAULT_BCRYPT_COST) options.log(`BCRYPT_COST is ${bcryptCost} (deployed: ${DEFAULT_BCRYPT_COST}); new password hashes use it.`);
    await seedDemo(dynamoDb.endpoint, pepper, bcryptCost, options);
    // What deploys: the synthesized template (cached under .cache/synth/) and each function's bundle (.cache/bundles/).
    const template = await loadSynthesizedTemplate({ log: options.log });
    const bundles = await loadFunctionBundles({ log: options.log });
    const api: ApiServer = await startApiServer({
      port: options.apiPort,
      onRequest: options.log,
      onFunctionLog: (operationId, line) => options.log(`[${operationId}] ${line}`),
      template,
      bundles,
      tableNames: localTableNames(TABLE_PREFIX),
      upstreams: { dynamodb: dynamoDb.endpoint, ses: ses.endpoint },
      readiness: localReadiness({ dynamoDb: dynamoDb.endpoint, ses: ses.endpoint }),
    });
    running.push(api);
    return { apiUrl: api.url, sesUrl: ses.endpoint, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
