// Contract suite of the DeliverySuppressions port, run against the in-memory fake the use-case tests rely on and
// against the DynamoDB adapter on DynamoDB Local (from the directory contract's two test files): one suppression per
// company and address whatever arrives together, its event stored only with it, and nothing across companies.
import { randomBytes } from 'node:crypto';
import { OPERATOR_ORIGIN, auditEvent, type AuditEvent, type AuditEventType } from '../../functions/domain/audit';
import { newCompany } from '../../functions/domain/company';
import type { DeliverySuppression } from '../../functions/domain/delivery';
import { WriteRefused } from '../../functions/domain/write-refusals';
import { refusal, type DirectoryUnderTest } from './directory-contract';

const time = { clock: { now: () => new Date() }, random: { bytes: (count: number) => randomBytes(count) } };
const event = (companyId: string, type: AuditEventType): AuditEvent => auditEvent({ companyId, type, actorAdminId: null, origin: OPERATOR_ORIGIN }, time);

const suppressionOf = (companyId: string, email: string, overrides: Partial<DeliverySuppression> = {}): DeliverySuppression => ({
  companyId,
  email,
  reason: 'bounce',
  detail: 'General',
  purpose: 'password-reset',
  feedbackId: `feedback-${randomBytes(4).toString('hex')}`,
  messageId: `message-${randomBytes(4).toString('hex')}`,
  suppressedAt: '2026-11-27T10:00:02.669Z',
  ...overrides,
});

export function deliverySuppressionsContract(implementation: string, setUp: () => DirectoryUnderTest): void {
  let directory: DirectoryUnderTest;
  beforeAll(() => {
    directory = setUp();
  });

  async function company(): Promise<string> {
    const companyId = `suppress-${randomBytes(6).toString('hex')}`;
    await directory.stores.companies.create(newCompany({ companyId, name: `Suppress ${companyId}` }, new Date().toISOString()), []);
    return companyId;
  }
  const eventsOf = async (companyId: string, type: AuditEventType) => (await directory.eventTypes(companyId)).filter((stored) => stored === type);

  describe(`DeliverySuppressions (${implementation})`, () => {
    it('stores a suppression with its event; the same address again is ALREADY_SUPPRESSED and stores nothing more', async () => {
      const companyId = await company();
      const first = suppressionOf(companyId, 'typo@example.org', { reason: 'complaint', detail: null, purpose: null });
      await directory.stores.suppressions.suppress(first, [event(companyId, 'EMAIL_SUPPRESSED')]);

      const reasons = await refusal(directory.stores.suppressions.suppress(suppressionOf(companyId, 'typo@example.org'), [event(companyId, 'EMAIL_SUPPRESSED')]));

      expect(reasons).toEqual(['ALREADY_SUPPRESSED']);
      expect(await directory.stores.suppressions.find(companyId, 'typo@example.org')).toEqual(first);
      expect(await eventsOf(companyId, 'EMAIL_SUPPRESSED')).toHaveLength(1);
    });

    it('applies exactly one of 6 parallel suppressions of one address, with one event', async () => {
      const companyId = await company();

      const outcomes = await Promise.allSettled(
        Array.from({ length: 6 }, () => directory.stores.suppressions.suppress(suppressionOf(companyId, 'twice@example.org'), [event(companyId, 'EMAIL_SUPPRESSED')])),
      );

      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      for (const outcome of outcomes.filter((candidate): candidate is PromiseRejectedResult => candidate.status === 'rejected')) {
        expect(outcome.reason).toBeInstanceOf(WriteRefused);
        expect((outcome.reason as WriteRefused).reasons).toEqual(['ALREADY_SUPPRESSED']);
      }
      expect(await eventsOf(companyId, 'EMAIL_SUPPRESSED')).toHaveLength(1);
    });

    it('refuses a suppression in a company that does not exist with COMPANY_MISSING, and stores nothing', async () => {
      const companyId = `${await company()}-gone`;

      expect(await refusal(directory.stores.suppressions.suppress(suppressionOf(companyId, 'typo@example.org'), [event(companyId, 'EMAIL_SUPPRESSED')]))).toEqual(['COMPANY_MISSING']);
      expect(await directory.stores.suppressions.find(companyId, 'typo@example.org')).toBeUndefined();
      expect(await eventsOf(companyId, 'EMAIL_SUPPRESSED')).toEqual([]);
    });

    it('keeps each company’s suppressions to itself', async () => {
      const [one, other] = [await company(), await company()];
      await directory.stores.suppressions.suppress(suppressionOf(one, 'shared@example.org'), []);

      expect(await directory.stores.suppressions.find(other, 'shared@example.org')).toBeUndefined();
      expect((await directory.stores.suppressions.list(other, { limit: 10 })).items).toEqual([]);
    });

    it('lists a company’s suppressions in address order, a page at a time', async () => {
      const companyId = await company();
      for (const email of ['c@example.org', 'a@example.org', 'b@example.org']) await directory.stores.suppressions.suppress(suppressionOf(companyId, email), []);

      const first = await directory.stores.suppressions.list(companyId, { limit: 2 });
      const second = await directory.stores.suppressions.list(companyId, { limit: 2, cursor: first.nextCursor! });

      expect(first.items.map((item) => item.email)).toEqual(['a@example.org', 'b@example.org']);
      expect(second.items.map((item) => item.email)).toEqual(['c@example.org']);
      expect(second.nextCursor).toBeNull();
    });

    it('clears a suppression with its event; clearing it again is NOT_SUPPRESSED; a later bounce suppresses it anew', async () => {
      const companyId = await company();
      await directory.stores.suppressions.suppress(suppressionOf(companyId, 'fixed@example.org'), []);

      await directory.stores.suppressions.clear(companyId, 'fixed@example.org', [event(companyId, 'EMAIL_SUPPRESSION_CLEARED')]);
      const again = await refusal(directory.stores.suppressions.clear(companyId, 'fixed@example.org', [event(companyId, 'EMAIL_SUPPRESSION_CLEARED')]));
      await directory.stores.suppressions.suppress(suppressionOf(companyId, 'fixed@example.org', { feedbackId: 'later' }), []);

      expect(again).toEqual(['NOT_SUPPRESSED']);
      expect(await eventsOf(companyId, 'EMAIL_SUPPRESSION_CLEARED')).toHaveLength(1);
      expect((await directory.stores.suppressions.find(companyId, 'fixed@example.org'))?.feedbackId).toBe('later');
    });

    it('applies exactly one of 4 parallel clears of one address', async () => {
      const companyId = await company();
      await directory.stores.suppressions.suppress(suppressionOf(companyId, 'once@example.org'), []);

      const outcomes = await Promise.allSettled(
        Array.from({ length: 4 }, () => directory.stores.suppressions.clear(companyId, 'once@example.org', [event(companyId, 'EMAIL_SUPPRESSION_CLEARED')])),
      );

      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      expect(await eventsOf(companyId, 'EMAIL_SUPPRESSION_CLEARED')).toHaveLength(1);
      expect(await directory.stores.suppressions.find(companyId, 'once@example.org')).toBeUndefined();
    });
  });
}
