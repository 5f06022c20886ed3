// Use-case layer: the notice to the registered address after a password change. It is sent after the change is
// committed and never undoes it: a notice that cannot be sent is logged, and the change stands.
import type { AdminRecord } from '../domain/admin';
import { passwordChangeNotice, type PasswordChange } from '../domain/emails';
import type { Dependencies } from './dependencies';

/** Delivers the notice; resolves false (after reporting through onFailure) when delivery failed. */
export async function notifyPasswordChange(
  admin: Pick<AdminRecord, 'companyId' | 'email' | 'name'>,
  change: PasswordChange,
  deps: Pick<Dependencies, 'companies' | 'mailer' | 'clock'>,
  onFailure: (error: unknown) => void,
): Promise<boolean> {
  try {
    const company = await deps.companies.get(admin.companyId);
    const notice = passwordChangeNotice({
      adminName: admin.name,
      companyName: company?.name ?? admin.companyId,
      change,
      at: deps.clock.now().toISOString(),
    });
    await deps.mailer.send(admin.email, notice, { companyId: admin.companyId, purpose: 'password-change-notice' });
    return true;
  } catch (error) {
    onFailure(error);
    return false;
  }
}
