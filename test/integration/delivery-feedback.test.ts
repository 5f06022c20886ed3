// End to end on the local stack (the local API, DynamoDB Local, the SES emulator), with SES's feedback played by a
// fake SNS event in SES's real format handed to the ses-feedback function's handler module: a reset goes to a typed
// address, SES reports it bounced, the next reset to it is refused and audited, the master clears it, and the reset
// goes out again. Locally nothing publishes to SNS; in AWS the sender identity's configuration set does.
import { handler as sesFeedback } from '../../functions/ses-feedback/handler';
import { lambdaContext } from '../handlers/events';
import type { ApiClient } from '../support/api-client';
import { provisionTestCompany } from '../support/companies';
import { emailsTo, latestEmailTo } from '../support/inbox';
import { useLocalStack } from '../support/local-stack';
import { createGeneralAdmin, signInMaster, type SignedIn } from '../support/scenario';
import { bounceNotification, complaintNotification, snsEvent } from '../support/ses-feedback';

let api: ApiClient;
const { directory } = useLocalStack({ started: (started) => (api = started) });

const resetTo = (master: SignedIn, adminId: string, email?: string) =>
  api.request('POST', `/admins/${adminId}/password-reset`, { token: master.token, body: email === undefined ? {} : { email } });

async function auditTypes(master: SignedIn): Promise<{ type: string; details: Record<string, unknown>; actorAdminId: string | null }[]> {
  const response = await api.request('GET', '/audit-events?limit=50', { token: master.token });
  return response.body.items;
}

/** SES's notification that the email with this id bounced for good, delivered by SNS to the function. */
async function sesReportsBounce(email: { messageId: string }, companyId: string, recipient: string, feedbackId = `feedback-${email.messageId}`) {
  await sesFeedback(snsEvent(bounceNotification({ recipients: [recipient], messageId: email.messageId, feedbackId, tags: { companyId, purpose: 'password-reset' } })) as never, lambdaContext());
}

describe('when a reset to a typed address bounces', () => {
  it('refuses and audits the next reset to it until the master clears it, then sends again', async () => {
    // Prepare: a master resets an administrator to an address he typed, and the email goes out
    const company = await provisionTestCompany(directory);
    const master = await signInMaster(api, company);
    const general = await createGeneralAdmin(api, master, `gen@${company.companyId}.example`);
    const typed = `gil.typo-${company.companyId}@example.org`;
    expect((await resetTo(master, general.adminId, typed)).status).toBe(202);
    const sent = await latestEmailTo(typed, /Reset your/);

    // Act 1: SES reports the bounce (twice, as SNS may deliver it)
    await sesReportsBounce(sent, company.companyId, typed);
    await sesReportsBounce(sent, company.companyId, typed);
    const refused = await resetTo(master, general.adminId, typed.toUpperCase());
    const listed = await api.request('GET', '/company/suppressed-addresses', { token: master.token });

    // Assess 1: one suppression and one event; the reset is refused, audited, and nothing more is sent
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('ADDRESS_SUPPRESSED');
    expect(await emailsTo(typed)).toHaveLength(1);
    expect(listed.body).toEqual({
      items: [expect.objectContaining({ email: typed, reason: 'bounce', detail: 'General', purpose: 'password-reset', messageId: sent.messageId })],
      nextCursor: null,
    });
    const afterBounce = await auditTypes(master);
    expect(afterBounce.filter((event) => event.type === 'EMAIL_SUPPRESSED')).toEqual([
      expect.objectContaining({ actorAdminId: null, details: expect.objectContaining({ email: typed, reason: 'bounce', registered: false, messageId: sent.messageId }) }),
    ]);
    expect(afterBounce.filter((event) => event.type === 'PASSWORD_RESET_SUPPRESSED')).toEqual([
      expect.objectContaining({ actorAdminId: master.adminId, details: expect.objectContaining({ sentTo: typed, destination: 'typed', reason: 'bounce' }) }),
    ]);

    // Act 2: the master fixes nothing but clears the address (the person says the mailbox works now)
    const cleared = await api.request('DELETE', `/company/suppressed-addresses/${encodeURIComponent(typed)}`, { token: master.token });
    const again = await resetTo(master, general.adminId, typed);

    // Assess 2: the clear is audited and the reset goes out
    expect(cleared.status).toBe(204);
    expect(again.status).toBe(202);
    expect(await emailsTo(typed)).toHaveLength(2);
    expect((await auditTypes(master)).filter((event) => event.type === 'EMAIL_SUPPRESSION_CLEARED')).toEqual([
      expect.objectContaining({ actorAdminId: master.adminId, details: expect.objectContaining({ email: typed, reason: 'bounce' }) }),
    ]);
    expect((await api.request('GET', '/company/suppressed-addresses', { token: master.token })).body.items).toEqual([]);
  });
});

describe('when an administrator’s registered address complains', () => {
  it('refuses resets to his registered address, and a reset to another address he gives still goes out', async () => {
    const company = await provisionTestCompany(directory);
    const master = await signInMaster(api, company);
    const general = await createGeneralAdmin(api, master, `reg@${company.companyId}.example`);
    await sesFeedback(snsEvent(complaintNotification({ recipients: [general.email], tags: { companyId: company.companyId, purpose: 'password-change-notice' } })) as never, lambdaContext());

    const registered = await resetTo(master, general.adminId);
    const other = await resetTo(master, general.adminId, `reg-home-${company.companyId}@example.org`);

    expect(registered.status).toBe(409);
    expect(registered.body.error.code).toBe('ADDRESS_SUPPRESSED');
    expect(other.status).toBe(202);
    expect((await auditTypes(master)).find((event) => event.type === 'EMAIL_SUPPRESSED')).toMatchObject({ details: { reason: 'complaint', registered: true } });
  });
});

describe('when a master of another company asks', () => {
  it('neither sees nor clears this company’s suppressed addresses', async () => {
    const [one, other] = [await provisionTestCompany(directory), await provisionTestCompany(directory)];
    const otherMaster = await signInMaster(api, other);
    const typed = `cross-${one.companyId}@example.org`;
    await sesFeedback(snsEvent(bounceNotification({ recipients: [typed], tags: { companyId: one.companyId } })) as never, lambdaContext());

    const listed = await api.request('GET', '/company/suppressed-addresses', { token: otherMaster.token });
    const cleared = await api.request('DELETE', `/company/suppressed-addresses/${typed}`, { token: otherMaster.token });

    expect(listed.body.items).toEqual([]);
    expect(cleared.status).toBe(404);
    expect(cleared.body.error.code).toBe('SUPPRESSION_NOT_FOUND');
    expect(await directory.suppressions.find(one.companyId, typed)).toBeDefined();
  });
});
