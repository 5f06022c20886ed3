// Local runtime tests (local/dynamodb-local.ts, local/local-stack.ts): `npm start` notices when DynamoDB Local dies,
// stops the one an earlier killed start left behind (and nothing else), and honours BCRYPT_COST.
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDynamoDbLocal, stopOrphan } from '../../local/dynamodb-local';
import { localBcryptCost } from '../../local/local-stack';
import { freePort } from '../../local/ports';

const stateDir = mkdtempSync(join(tmpdir(), 'adminpass-local-parts-'));
/** Starting Java takes seconds, more on two busy cores. */
const JAVA_START_MS = 120_000;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('when DynamoDB Local dies under a running stack', () => {
  it('tells within 5 s, naming how it ended', async () => {
    // Prepare
    const pidFile = join(stateDir, 'dies.pid');
    const dynamoDb = await startDynamoDbLocal({ port: await freePort(), pidFile });
    const told = new Promise<{ how: string; at: number }>((resolve) => dynamoDb.onUnexpectedExit((how) => resolve({ how, at: Date.now() })));

    // Act
    const killedAt = Date.now();
    process.kill(dynamoDb.pid!, 'SIGKILL');

    // Assess
    const { how, at } = await told;
    expect(how).toBe('signal SIGKILL');
    expect(at - killedAt).toBeLessThan(5_000);
    await dynamoDb.stop();
  }, JAVA_START_MS);

  it('tells nothing when it is stopped on purpose, and removes its pid file', async () => {
    const pidFile = join(stateDir, 'stopped.pid');
    const dynamoDb = await startDynamoDbLocal({ port: await freePort(), pidFile });
    const told: string[] = [];
    dynamoDb.onUnexpectedExit((how) => told.push(how));

    await dynamoDb.stop();

    expect(told).toEqual([]);
    expect(existsSync(pidFile)).toBe(false);
  }, JAVA_START_MS);
});

describe('when an earlier start was killed and left its pid file', () => {
  it('stops the DynamoDB Local that pid file names, and says so', async () => {
    // Prepare: a start whose stop never runs, as after kill -9 of npm start.
    const pidFile = join(stateDir, 'orphan.pid');
    const orphan = await startDynamoDbLocal({ port: await freePort(), pidFile });
    const lines: string[] = [];

    // Act
    const stopped = stopOrphan(pidFile, (line) => lines.push(line));

    // Assess
    expect(stopped).toBe(true);
    expect(lines).toEqual([`Stopped DynamoDB Local (pid ${orphan.pid}), left running by an earlier start that was killed.`]);
    for (let waited = 0; alive(orphan.pid!) && waited < 5_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(existsSync(pidFile)).toBe(false);
    await orphan.stop();
  }, JAVA_START_MS);

  it('leaves alone a process that is not DynamoDB Local (the pid was reused)', () => {
    const pidFile = join(stateDir, 'reused.pid');
    writeFileSync(pidFile, String(process.pid));

    expect(stopOrphan(pidFile, () => undefined)).toBe(false);
    expect(alive(process.pid)).toBe(true);
    expect(existsSync(pidFile)).toBe(false);
  });
});

describe('when BCRYPT_COST is set for npm start', () => {
  it('uses it, and 12 when unset', () => {
    expect(localBcryptCost({ BCRYPT_COST: '8' })).toBe(8);
    expect(localBcryptCost({})).toBe(12);
    expect(localBcryptCost({ BCRYPT_COST: '' })).toBe(12);
  });

  it.each(['3', '16', '10.5', 'twelve'])('refuses %s in one line', (raw) => {
    expect(() => localBcryptCost({ BCRYPT_COST: raw })).toThrow(/BCRYPT_COST must be a whole number from 4 to 15/);
  });
});
