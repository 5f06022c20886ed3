// Benchmark section: the first page of `GET /admins` and `GET /audit-events` in a company of 100 and one of 10,000
// admins and events, interleaved: a Query reads one page whatever the partition holds, so the ratio should stay near
// 1. The items are written straight to DynamoDB Local in batches, in the adapters' own item formats (adminItem,
// auditItem), not through the API, which would take minutes.
import { randomBytes } from 'node:crypto';
import { BatchWriteCommand, type BatchWriteCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { adminItem } from '../functions/adapters/dynamodb/admin-item';
import { auditItem } from '../functions/adapters/dynamodb/audit-log';
import { registeredAdmin } from '../functions/domain/admin';
import { auditEvent } from '../functions/domain/audit';
import { newUlid } from '../functions/domain/tokens';
import { ms, printTable, summary, times } from './bench-report';
import { LOW_BCRYPT_COST, companyWithMaster, expectStatus, type BenchStack, type SignedIn } from './bench-stack';

const SIZES = { small: 100, large: 10_000 } as const;
const LIST_RUNS = 21;
const WARM_UP_RUNS = 2;
/** BatchWriteItem's limit, and how many batches are in flight at once. */
const BATCH_ITEMS = 25;
const BATCHES_AT_ONCE = 4;

export interface ListScaleResult {
  readonly path: string;
  readonly smallP50Ms: number;
  readonly largeP50Ms: number;
  /** Large / small, first page p50. */
  readonly ratio: number;
}

/** Writes the items in batches of 25, a few batches at once, sending again what DynamoDB leaves unprocessed. */
async function batchWrite(client: DynamoDBDocumentClient, table: string, items: readonly Record<string, unknown>[]): Promise<void> {
  let next = 0;
  const writer = async () => {
    while (next < items.length) {
      let pending: unknown[] | undefined = items.slice(next, (next += BATCH_ITEMS)).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending !== undefined && pending.length > 0; attempt += 1) {
        if (attempt === 10) throw new Error('DynamoDB Local left items unprocessed ten times');
        const answer: BatchWriteCommandOutput = await client.send(new BatchWriteCommand({ RequestItems: { [table]: pending as never } }));
        pending = answer.UnprocessedItems?.[table];
      }
    }
  };
  await Promise.all(Array.from({ length: BATCHES_AT_ONCE }, writer));
}

/** A company whose partition holds `count` admins (its master among them) and `count` more audit events. */
async function companyOfSize(stack: BenchStack, label: string, count: number): Promise<{ companyId: string; master: SignedIn }> {
  const companyId = `bench-${label}-${randomBytes(3).toString('hex')}`;
  const master = await companyWithMaster(stack, companyId);
  const deps = { clock: { now: () => new Date() }, random: { bytes: (size: number) => randomBytes(size) } };
  const password = await stack.hasherAt(LOW_BCRYPT_COST).hash('a temporary password nobody signs in with');
  const now = new Date().toISOString();
  const admins = Array.from({ length: count - 1 }, (_, index) =>
    registeredAdmin(
      { companyId, adminId: newUlid(new Date(), deps.random), email: `admin-${index}@${companyId}.example`, name: `Admin ${index}`, role: 'general', canChangeOwnPassword: false, password, temporaryPasswordExpiresAt: now },
      now,
    ),
  );
  const events = Array.from({ length: count }, (_, index) =>
    auditEvent({ companyId, type: 'ADMIN_UPDATED', actorAdminId: master.adminId, targetAdminId: admins[index % admins.length]?.adminId ?? null, origin: { sourceIp: '198.51.100.7', userAgent: 'adminpass-bench' }, details: { field: 'name' } }, deps),
  );
  await batchWrite(stack.client, stack.tables.directory, admins.map(adminItem));
  await batchWrite(stack.client, stack.tables.audit, events.map(auditItem));
  return { companyId, master };
}

export async function benchListScale(stack: BenchStack): Promise<ListScaleResult[]> {
  console.log(`## First page at ${SIZES.large.toLocaleString('en')} against ${SIZES.small} items (p50 of ${LIST_RUNS} runs each, interleaved)\n`);
  const small = await companyOfSize(stack, 'small', SIZES.small);
  const large = await companyOfSize(stack, 'large', SIZES.large);
  const results: ListScaleResult[] = [];
  for (const path of ['/admins', '/audit-events']) {
    const samples = { small: [] as number[], large: [] as number[] };
    for (let run = -WARM_UP_RUNS; run < LIST_RUNS; run += 1) {
      const order = run % 2 === 0 ? (['small', 'large'] as const) : (['large', 'small'] as const);
      for (const size of order) {
        const { master } = size === 'small' ? small : large;
        const response = expectStatus(await stack.send({ method: 'GET', path, token: master.token }), 200, `GET ${path} of the ${size} company`);
        if (run >= 0) samples[size].push(response.ms);
      }
    }
    const smallP50Ms = summary(samples.small).median;
    const largeP50Ms = summary(samples.large).median;
    results.push({ path: `GET ${path}`, smallP50Ms, largeP50Ms, ratio: largeP50Ms / smallP50Ms });
  }
  printTable(
    ['first page of', `${SIZES.small} items p50 ms`, `${SIZES.large.toLocaleString('en')} items p50 ms`, 'ratio'],
    results.map((result) => [result.path, ms(result.smallP50Ms), ms(result.largeP50Ms), times(result.ratio)]),
  );
  return results;
}
