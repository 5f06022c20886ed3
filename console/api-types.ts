// Console (browser): the API's request and response bodies as this client sees them, written from GET /openapi.json
// like any client would. test/browser/console.test.ts checks at compile time that they match the server's schemas.

export type Role = 'master' | 'general';

export interface Admin {
  readonly adminId: string;
  readonly companyId: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  /** The effective right: always true for a master. */
  readonly canChangeOwnPassword: boolean;
  readonly status: 'active' | 'disabled';
  readonly locked: boolean;
  readonly lockedUntil: string | null;
  readonly passwordChangedAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface PasswordPolicySettings {
  readonly minLength: number;
  readonly requireUppercase: boolean;
  readonly requireLowercase: boolean;
  readonly requireDigit: boolean;
  readonly requireSymbol: boolean;
  readonly blockCommonPasswords: boolean;
  readonly blockPersonalInfo: boolean;
  readonly minGuessScore: number;
  readonly historyCount: number;
  readonly maxAgeDays: number;
  readonly lockoutThreshold: number;
  readonly lockoutMinutes: number;
  readonly temporaryPasswordValidityDays: number;
}

export interface PasswordPolicyValues extends PasswordPolicySettings {
  readonly maxLength: number;
}

export interface PolicyRule {
  readonly code: string;
  readonly message: string;
}

/** The policy in force and its rules in the words the password screens show. */
export interface PasswordPolicy {
  readonly policy: PasswordPolicyValues;
  readonly rules: PolicyRule[];
}

export interface CompanyPasswordPolicy extends PasswordPolicy {
  /** A master of a company the service operator enabled the settings for. */
  readonly editable: boolean;
}

export interface SessionGrant {
  readonly sessionToken: string;
  readonly expiresAt: string;
  readonly admin: Admin;
}

export interface NewPasswordChallenge {
  readonly challenge: 'NEW_PASSWORD_REQUIRED';
  readonly reason: 'TEMPORARY_PASSWORD' | 'PASSWORD_EXPIRED';
  readonly challengeToken: string;
  readonly passwordPolicy: PasswordPolicy;
}

export type SignInResponse = SessionGrant | NewPasswordChallenge;

export interface AdminList {
  readonly items: Admin[];
  readonly nextCursor: string | null;
}

export interface AdminProfileChange {
  readonly name?: string;
  readonly email?: string;
  readonly role?: Role;
  readonly canChangeOwnPassword?: boolean;
}

export interface NewAdmin {
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly canChangeOwnPassword: boolean;
  readonly temporaryPassword: string;
}

export interface PasswordResetSent {
  readonly sentTo: string;
  readonly expiresAt: string;
}

export interface AuditEvent {
  readonly eventId: string;
  readonly companyId: string;
  readonly type: string;
  readonly outcome: 'success' | 'failure';
  readonly at: string;
  readonly actorAdminId: string | null;
  readonly targetAdminId: string | null;
  readonly sourceIp: string | null;
  readonly userAgent: string | null;
  readonly details: Record<string, string | number | boolean | null>;
}

export interface AuditEventList {
  readonly items: AuditEvent[];
  readonly nextCursor: string | null;
}

/** One reason of an error; `field` names the request field it concerns. */
export interface ErrorDetail {
  readonly code: string;
  readonly message: string;
  readonly field?: string;
}

export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly details?: ErrorDetail[] };
}
