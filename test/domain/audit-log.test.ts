// Use-case tests of reading the audit log (functions/use-cases/audit-log.ts): the filters narrow the page, and every
// admin a page mentions comes back by name, in one request of the directory, however many admins the company has.
import { adminIdsOf, auditEvent, type AuditEvent, type AuditFacts } from '../../functions/domain/audit';
import { listAuditEvents } from '../../functions/use-cases/audit-log';
import { COMPANY, actorFor, adminRecord, fakeDependencies, type FakeDependencies } from './fakes';

const ORIGIN = { sourceIp: '198.51.100.23', userAgent: 'test' };

function scene() {
  const deps = fakeDependencies();
  const master = deps.directory.put(adminRecord({ role: 'master', email: 'ada@acme.example', name: 'Ada Lovelace' }));
  const grace = deps.directory.put(adminRecord({ email: 'grace@acme.example', name: 'Grace Hopper' }));
  return { deps, master, grace, actor: actorFor(master) };
}

/** Stores an event that happened `minutesLater` after the previous one. */
async function happened(deps: FakeDependencies, facts: Omit<AuditFacts, 'companyId' | 'origin'>, minutesLater = 1): Promise<AuditEvent> {
  deps.clock.advanceMinutes(minutesLater);
  const event = auditEvent({ companyId: COMPANY, origin: ORIGIN, ...facts }, deps);
  await deps.auditLog.record([event]);
  return event;
}

describe('when the audit log is read', () => {
  it('answers the names of every admin the page mentions, the sender of a reset link among them', async () => {
    // Prepare
    const { deps, master, grace, actor } = scene();
    // More admins than the first page of the admin list, so a name cannot come from that page by luck.
    const others = Array.from({ length: 120 }, (_, index) => deps.directory.put(adminRecord({ email: `a${index}@acme.example`, name: `Admin ${index}` })));
    const last = others.at(-1)!;
    await happened(deps, { type: 'ADMIN_CREATED', actorAdminId: master.adminId, targetAdminId: last.adminId });
    await happened(deps, { type: 'PASSWORD_RESET_COMPLETED', actorAdminId: null, targetAdminId: grace.adminId, details: { requestedBy: master.adminId } });

    // Act
    const page = await listAuditEvents(actor, { limit: 50 }, deps);

    // Assess
    expect(page.admins).toEqual(
      expect.arrayContaining([
        { adminId: master.adminId, name: 'Ada Lovelace', email: 'ada@acme.example' },
        { adminId: grace.adminId, name: 'Grace Hopper', email: 'grace@acme.example' },
        { adminId: last.adminId, name: last.name, email: last.email },
      ]),
    );
    expect(page.admins).toHaveLength(3);
    expect(deps.adminNames.asked).toHaveLength(1);
    expect(new Set(deps.adminNames.asked[0])).toEqual(new Set([master.adminId, grace.adminId, last.adminId]));
  });

  it('leaves out an id that is no admin of the company, so the reader can say so', async () => {
    // Prepare
    const { deps, actor } = scene();
    const gone = '01JX00000000000000000ZZZZZ';
    await happened(deps, { type: 'ACCOUNT_UNLOCKED', actorAdminId: gone, targetAdminId: gone });

    // Act
    const page = await listAuditEvents(actor, { limit: 50 }, deps);

    // Assess
    expect(page.items.map(adminIdsOf)).toEqual([[gone, gone]]);
    expect(page.admins).toEqual([]);
  });

  it('asks the directory nothing for a page that mentions nobody', async () => {
    // Prepare
    const { deps, actor } = scene();
    await happened(deps, { type: 'COMPANY_CREATED', actorAdminId: null, details: { name: 'Acme' } });

    // Act
    const page = await listAuditEvents(actor, { limit: 50 }, deps);

    // Assess
    expect(page.items).toHaveLength(1);
    expect(deps.adminNames.asked).toEqual([]);
  });

  it('keeps only the events of the type, the admin and the date range asked for', async () => {
    // Prepare
    const { deps, master, grace, actor } = scene();
    const early = await happened(deps, { type: 'SIGN_IN_FAILED', outcome: 'failure', actorAdminId: null, targetAdminId: grace.adminId });
    const middle = await happened(deps, { type: 'SIGN_IN_FAILED', outcome: 'failure', actorAdminId: null, targetAdminId: grace.adminId }, 60);
    await happened(deps, { type: 'ACCOUNT_UNLOCKED', actorAdminId: master.adminId, targetAdminId: grace.adminId });
    await happened(deps, { type: 'SIGN_IN_FAILED', outcome: 'failure', actorAdminId: null, targetAdminId: master.adminId });
    const late = await happened(deps, { type: 'SIGN_IN_FAILED', outcome: 'failure', actorAdminId: null, targetAdminId: grace.adminId }, 60);

    // Act
    const ofType = await listAuditEvents(actor, { limit: 50, type: 'SIGN_IN_FAILED', adminId: grace.adminId }, deps);
    const inRange = await listAuditEvents(actor, { limit: 50, adminId: grace.adminId, from: middle.at, to: middle.at }, deps);
    const afterEarly = await listAuditEvents(actor, { limit: 50, type: 'SIGN_IN_FAILED', from: new Date(Date.parse(early.at) + 1).toISOString() }, deps);

    // Assess
    expect(ofType.items.map((event) => event.eventId)).toEqual([late.eventId, middle.eventId, early.eventId]);
    expect(inRange.items.map((event) => event.eventId)).toEqual([middle.eventId]);
    expect(afterEarly.items.map((event) => event.eventId)).not.toContain(early.eventId);
    expect(afterEarly.items).toHaveLength(3);
  });

  it('reads only the caller\'s company, whatever the query names', async () => {
    // Prepare
    const { deps, actor } = scene();
    const stranger = deps.directory.put(adminRecord({ companyId: 'other', email: 'eve@other.example', name: 'Eve' }));
    await deps.auditLog.record([auditEvent({ companyId: 'other', type: 'SIGN_IN_SUCCEEDED', actorAdminId: null, targetAdminId: stranger.adminId, origin: ORIGIN }, deps)]);

    // Act
    const page = await listAuditEvents(actor, { limit: 50, adminId: stranger.adminId }, deps);

    // Assess
    expect(page.items).toEqual([]);
    expect(page.admins).toEqual([]);
  });
});
