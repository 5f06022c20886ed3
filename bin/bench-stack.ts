// Benchmark support: the local stack as the integration tests run it (DynamoDB Local in memory, the SES emulator, the
// synthesized template and every function's built bundle behind the local API Gateway emulation and the local AWS
// endpoint), at a low bcrypt cost so that what is not hashing shows, with every AWS call a function makes recorded
// so the bench can count them per request. Also the few steps the bench sets data up with: the operator's
// provisioning, and signing in over HTTP as a client would.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoDirectoryStores, type DirectoryStores } from '../functions/adapters/dynamodb/directory-stores';
import type { TableKey } from '../functions/adapters/dynamodb/table-definitions';
import { createPasswordHasher, type PasswordHasher } from '../functions/domain/password-hashing';
import { provisionCompany } from '../functions/use-cases/provision-company';
import { guessability } from '../functions/wiring/guessability';
import { startApiServer } from '../local/api-server';
import type { AwsCall } from '../local/aws-endpoint';
import { createTables, localClient, localTableNames, startDynamoDbLocal } from '../local/dynamodb-local';
import { loadFunctionBundles } from '../local/function-bundles';
import { freePort } from '../local/ports';
import { startSesLocal } from '../local/ses-local';
import { loadSynthesizedTemplate, type SynthesizedTemplate } from '../local/synthesized-template';

/** The bcrypt cost of the bench's stack: the lowest bcrypt allows, so a request's time is what is not the hash. */
export const LOW_BCRYPT_COST = 4;
const PEPPER = `bench-stack-pepper-${randomBytes(16).toString('hex')}`;
/**
 * The reset limits raised out of the way (local/function-environment.ts LOCAL_TUNING), as the test suite does: the
 * bench sends one admin dozens of reset links an hour, which the deployed limits rightly refuse.
 */
const RAISED_LIMITS = {
  RESETS_PER_MASTER_PER_HOUR: '100000',
  RESETS_PER_TARGET_PER_HOUR: '100000',
  RESETS_PER_COMPANY_PER_DAY: '100000',
  RESET_LINK_MAX_MISSES: '100000',
};

export interface BenchResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any;
  /** From sending the request to the end of the answer's body, in milliseconds. */
  readonly ms: number;
}

export interface BenchRequest {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  readonly token?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface BenchStack {
  readonly url: string;
  readonly template: SynthesizedTemplate;
  /** Straight to DynamoDB Local, past the local AWS endpoint: what the bench writes and reads itself. */
  readonly client: DynamoDBDocumentClient;
  readonly tables: Readonly<Record<TableKey, string>>;
  readonly directory: DirectoryStores;
  /** The stack's pepper at the given cost: hashes the functions verify. */
  hasherAt(cost: number): PasswordHasher;
  send(request: BenchRequest): Promise<BenchResponse>;
  /** The AWS calls the functions made while `action` ran (run nothing else meanwhile). */
  awsCallsDuring<T>(action: () => Promise<T>): Promise<{ result: T; calls: AwsCall[] }>;
  /** The newest email's text to an address, once more than `already` emails reached it. */
  nextEmailTo(address: string, already: number): Promise<string>;
  emailCountTo(address: string): Promise<number>;
  stop(): Promise<void>;
}

interface StoredEmail {
  readonly destination: { to: string[] };
  readonly body: { text?: string };
}

/** Starts the stack on free ports; every part stops again if one fails to start. */
export async function startBenchStack(): Promise<BenchStack> {
  const running: { stop(): Promise<void> }[] = [];
  const stopAll = async () => {
    for (const part of running.reverse()) await part.stop();
  };
  try {
    const [template, bundles] = await Promise.all([loadSynthesizedTemplate({ log: (line) => console.log(line) }), loadFunctionBundles({ log: (line) => console.log(line) })]);
    const dynamoDb = await startDynamoDbLocal({ port: await freePort() });
    running.push(dynamoDb);
    const ses = await startSesLocal({ port: await freePort() });
    running.push(ses);
    const tables = localTableNames('adminpass-bench');
    await createTables(dynamoDb.endpoint, tables);
    const recorded: AwsCall[] = [];
    const api = await startApiServer({
      port: 0,
      template,
      bundles,
      tableNames: tables,
      upstreams: { dynamodb: dynamoDb.endpoint, ses: ses.endpoint },
      runnerEnvironment: { PASSWORD_PEPPER: PEPPER, BCRYPT_COST: String(LOW_BCRYPT_COST), ...RAISED_LIMITS },
      onFunctionLog: () => undefined,
      onRequest: (line) => {
        if (/^(AccessDeniedException:|function \w+ failed:|local)/.test(line)) console.log(`local stack: ${line}`);
      },
      interceptAws: (call) => {
        recorded.push(call);
        return undefined;
      },
    });
    running.push(api);
    const dynamoDbClient = localClient(dynamoDb.endpoint);
    running.push({ stop: async () => dynamoDbClient.destroy() });
    const client = DynamoDBDocumentClient.from(dynamoDbClient, { marshallOptions: { removeUndefinedValues: true } });

    const emailsTo = async (address: string): Promise<StoredEmail[]> => {
      const { emails } = (await (await fetch(`${ses.endpoint}/store`)).json()) as { emails: StoredEmail[] };
      return emails.filter((email) => email.destination.to.some((to) => to.toLowerCase().includes(address.toLowerCase())));
    };

    return {
      url: api.url,
      template,
      client,
      tables,
      directory: createDynamoDirectoryStores(client, tables),
      hasherAt: (cost) => createPasswordHasher({ pepper: Buffer.from(PEPPER, 'utf8'), cost }),
      async send({ method, path, body, token, headers }) {
        const started = performance.now();
        const response = await fetch(api.url + path, {
          method,
          headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const text = await response.text();
        const elapsed = performance.now() - started;
        let parsed: unknown;
        try {
          parsed = text === '' ? undefined : JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        return { status: response.status, headers: response.headers, body: parsed, ms: elapsed };
      },
      async awsCallsDuring(action) {
        recorded.length = 0;
        const result = await action();
        return { result, calls: recorded.splice(0) };
      },
      emailCountTo: async (address) => (await emailsTo(address)).length,
      async nextEmailTo(address, already) {
        for (let attempt = 0; attempt < 100; attempt += 1) {
          const emails = await emailsTo(address);
          if (emails.length > already) return emails.at(-1)?.body.text ?? '';
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        throw new Error(`no new email reached ${address}`);
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** A password the default policy accepts and no other admin has: random words of hex, long enough. */
export const freshPassword = (): string => `orbit ${randomBytes(6).toString('hex')} lantern ${randomBytes(6).toString('hex')}`;

export interface SignedIn {
  readonly token: string;
  readonly adminId: string;
  readonly email: string;
  readonly password: string;
}

/** Answers `status` or throws with what came back: a bench that measured the wrong answer would mislead. */
export function expectStatus(response: BenchResponse, status: number, what: string): BenchResponse {
  if (response.status !== status) throw new Error(`${what}: expected ${status}, got ${response.status} ${JSON.stringify(response.body)}`);
  return response;
}

/** Signs in with a temporary password and answers the new-password challenge with a password of his own. */
export async function signInReplacingTemporary(stack: BenchStack, companyId: string, email: string, temporaryPassword: string): Promise<SignedIn> {
  const first = expectStatus(await stack.send({ method: 'POST', path: '/sign-in', body: { companyId, email, password: temporaryPassword } }), 200, `sign-in of ${email}`);
  const password = freshPassword();
  const grant = expectStatus(
    await stack.send({ method: 'POST', path: '/sign-in/new-password', body: { challengeToken: first.body.challengeToken, newPassword: password } }),
    200,
    `new password of ${email}`,
  );
  return { token: grant.body.sessionToken, adminId: grant.body.admin.adminId, email, password };
}

/** A new company provisioned as the operator does, its master signed in with his own password. */
export async function companyWithMaster(stack: BenchStack, companyId: string): Promise<SignedIn> {
  const masterEmail = `master@${companyId}.example`;
  const temporaryPassword = freshPassword();
  const random = { bytes: (count: number) => randomBytes(count) };
  await provisionCompany(
    { companyId, companyName: `Company ${companyId}`, masterEmail, masterName: 'Mia Master', temporaryPassword },
    { ...stack.directory, hasher: stack.hasherAt(LOW_BCRYPT_COST), guessability, breachedPasswords: undefined, clock: { now: () => new Date() }, random },
  );
  return signInReplacingTemporary(stack, companyId, masterEmail, temporaryPassword);
}

/** A general admin the master registers over the API, still holding his temporary password. */
export async function registerAdmin(stack: BenchStack, master: SignedIn, email: string, options: { canChangeOwnPassword?: boolean } = {}) {
  const temporaryPassword = freshPassword();
  const created = expectStatus(
    await stack.send({
      method: 'POST',
      path: '/admins',
      token: master.token,
      body: { email, name: 'Gil General', role: 'general', canChangeOwnPassword: options.canChangeOwnPassword ?? false, temporaryPassword },
    }),
    201,
    `registering ${email}`,
  );
  return { adminId: created.body.adminId as string, email, temporaryPassword };
}

/** A general admin with a password of his own, signed in. */
export async function signedInAdmin(stack: BenchStack, master: SignedIn, companyId: string, email: string, options: { canChangeOwnPassword?: boolean } = {}): Promise<SignedIn> {
  const registered = await registerAdmin(stack, master, email, options);
  return signInReplacingTemporary(stack, companyId, email, registered.temporaryPassword);
}
