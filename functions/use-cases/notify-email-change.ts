// Use-case layer: the notice to the old address after a master changed an admin's email. Sent after the change is
// committed and never undoing it, like the password change notices: a notice that cannot be sent is logged.
import type { AdminRecord } from '../domain/admin';
import { emailChangeNotice } from '../domain/emails';
import type { Dependencies } from './dependencies';

/** An edit as committed: the admin before and after it. */
export interface AdminEdit {
  readonly before: AdminRecord;
  readonly after: AdminRecord;
}

/**
 * Tells the old address that it no longer belongs to the account, when the edit changed the email; resolves
 * undefined when it did not, false (after reporting through onFailure) when delivery failed.
 */
export async function notifyEmailChange(
  { before, after }: AdminEdit,
  deps: Pick<Dependencies, 'companies' | 'mailer' | 'clock'>,
  onFailure: (error: unknown) => void,
): Promise<boolean | undefined> {
  if (after.email === before.email) return undefined;
  try {
    const company = await deps.companies.get(before.companyId);
    await deps.mailer.send(before.email, emailChangeNotice({ adminName: before.name, companyName: company?.name ?? before.companyId, at: deps.clock.now().toISOString() }), {
      companyId: before.companyId,
      purpose: 'email-change-notice',
    });
    return true;
  } catch (error) {
    onFailure(error);
    return false;
  }
}
