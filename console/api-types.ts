// Console (browser): the API's request and response bodies as this client sees them: the types openapi-typescript
// generated from GET /openapi.json, through the client package (clients/typescript), under the console's names.
import type { Admin, AdminChange, NewAdmin, PasswordPolicy as Policy, PasswordPolicyUpdate } from '../clients/typescript/src/index';

export type {
  Admin,
  AdminList,
  AuditAdminName,
  AuditEvent,
  AuditEventList,
  AuditEventQuery,
  AuditEventType,
  CompanyPasswordPolicy,
  ErrorDetail,
  NewAdmin,
  NewPasswordChallenge,
  PasswordPolicy,
  PasswordResetDetails,
  PasswordResetSent,
  SessionGrant,
  SignInResponse,
} from '../clients/typescript/src/index';

export type Role = Admin['role'];
export type PasswordPolicyValues = Policy['policy'];
/** What the policy settings screen saves: the settings, without the read-only maximum. */
export type PasswordPolicySettings = Omit<PasswordPolicyUpdate, 'maxLength'>;
export type AdminProfileChange = AdminChange;
export type { NewAdmin as AdminRegistration };
