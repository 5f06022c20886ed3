// The audit log's reads against DynamoDB Local of the global setup: the date range as a key condition on the table
// and on the byAdmin index, the type filter that reads on past what it skips, paging through a filter, and the
// admins' names in a BatchGetItem of the directory (more than its 100 keys per request).
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { adminItem } from '../../functions/adapters/dynamodb/admin-item';
import { createDynamoAdminNames } from '../../functions/adapters/dynamodb/admin-names';
import { createDynamoAuditLog } from '../../functions/adapters/dynamodb/audit-log';
import { auditEvent, type AuditEvent, type AuditEventType, type AuditQuery } from '../../functions/domain/audit';
import { listAuditEvents } from '../../functions/use-cases/audit-log';
import { actorFor, adminRecord } from '../domain/fakes';

const local = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
const dynamoDbClient = new DynamoDBClient({ ...local, endpoint: process.env.DYNAMODB_ENDPOINT });
const documentClient = DynamoDBDocumentClient.from(dynamoDbClient, { marshallOptions: { removeUndefinedValues: true } });
afterAll(() => dynamoDbClient.destroy());

const auditLog = createDynamoAuditLog(documentClient, process.env.AUDIT_TABLE!);
const adminNames = createDynamoAdminNames(documentClient, process.env.DIRECTORY_TABLE!);
const random = { bytes: (count: number) => randomBytes(count) };
const ORIGIN = { sourceIp: '203.0.113.5', userAgent: 'integration' };
const START = Date.parse('2026-03-01T08:00:00.000Z');
const HOUR = 3_600_000;

const newCompanyId = () => `audit-${randomBytes(4).toString('hex')}`;

/** Stores one event per entry, an hour apart from START, all about `adminId`. */
async function storeEvents(companyId: string, adminId: string, types: readonly AuditEventType[]): Promise<AuditEvent[]> {
  const events = types.map((type, hour) =>
    auditEvent({ companyId, type, actorAdminId: null, targetAdminId: adminId, origin: ORIGIN }, { clock: { now: () => new Date(START + hour * HOUR) }, random }),
  );
  await auditLog.record(events);
  return events;
}

/** Every page of the query, followed by its cursors. */
async function allPages(companyId: string, query: AuditQuery): Promise<AuditEvent[][]> {
  const pages: AuditEvent[][] = [];
  let cursor: string | undefined;
  do {
    const page = await auditLog.list(companyId, { ...query, cursor });
    pages.push(page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return pages;
}

const idsOf = (events: readonly AuditEvent[]) => events.map((event) => event.eventId);

describe('when the audit log is read from DynamoDB', () => {
  it('keeps the events of the date range, bounds included, on the table and on the byAdmin index', async () => {
    // Prepare
    const companyId = newCompanyId();
    const adminId = adminRecord({ companyId }).adminId;
    const events = await storeEvents(companyId, adminId, ['SIGN_IN_FAILED', 'SIGN_IN_FAILED', 'ACCOUNT_LOCKED', 'ACCOUNT_UNLOCKED', 'SIGN_IN_SUCCEEDED']);
    const range = { from: events[1]!.at, to: events[3]!.at };

    // Act
    const onTable = await auditLog.list(companyId, { limit: 50, ...range });
    const onIndex = await auditLog.list(companyId, { limit: 50, adminId, ...range });

    // Assess
    const expected = idsOf([events[3]!, events[2]!, events[1]!]);
    expect(idsOf(onTable.items)).toEqual(expected);
    expect(idsOf(onIndex.items)).toEqual(expected);
    expect(onTable.nextCursor).toBeNull();
  });

  it('pages through a type filter without losing or repeating an event', async () => {
    // Prepare
    const companyId = newCompanyId();
    const adminId = adminRecord({ companyId }).adminId;
    const types = Array.from({ length: 30 }, (_, index): AuditEventType => (index % 3 === 0 ? 'ACCOUNT_LOCKED' : 'SIGN_IN_FAILED'));
    const events = await storeEvents(companyId, adminId, types);

    // Act
    const pages = await allPages(companyId, { limit: 4, type: 'ACCOUNT_LOCKED' });

    // Assess
    const locked = events.filter((event) => event.type === 'ACCOUNT_LOCKED').reverse();
    expect(idsOf(pages.flat())).toEqual(idsOf(locked));
    expect(pages.every((page) => page.length <= 4)).toBe(true);
  });

  it('names more admins than one BatchGetItem holds, and none of another company', async () => {
    // Prepare
    const companyId = newCompanyId();
    const admins = Array.from({ length: 130 }, (_, index) => adminRecord({ companyId, email: `a${index}@${companyId}.example`, name: `Admin ${index}` }));
    const stranger = adminRecord({ companyId: newCompanyId(), email: 'eve@other.example', name: 'Eve' });
    await Promise.all([...admins, stranger].map((admin) => documentClient.send(new PutCommand({ TableName: process.env.DIRECTORY_TABLE!, Item: adminItem(admin) }))));
    const master = admins[0]!;
    // 100 events naming 102 ids: the master, 100 admins, and (as a detail) an admin of another company.
    await auditLog.record(
      admins.slice(1, 101).map((admin, index) =>
        auditEvent(
          { companyId, type: 'ADMIN_CREATED', actorAdminId: master.adminId, targetAdminId: admin.adminId, origin: ORIGIN, details: index === 0 ? { requestedBy: stranger.adminId } : {} },
          { clock: { now: () => new Date() }, random },
        ),
      ),
    );

    // Act
    const page = await listAuditEvents(actorFor(master), { limit: 100 }, { auditLog, adminNames });

    // Assess
    expect(page.items).toHaveLength(100);
    expect(page.admins).toHaveLength(101);
    expect(page.admins.map((admin) => admin.adminId)).not.toContain(stranger.adminId);
    expect(page.admins).toContainEqual({ adminId: admins[100]!.adminId, name: 'Admin 100', email: admins[100]!.email });
  });
});
