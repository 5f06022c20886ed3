// Domain layer: the audit trail. One event per security-relevant act: who did what to whom, when, from where, and
// how it ended. Events carry ids, addresses and settings, never a password, token or hash.
import type { Clock, RandomSource } from './ports';
import { ADMIN_ID_PATTERN, newUlid } from './tokens';

/** Every kind of event, in the order the console offers them as a filter; the schema and the console read this list. */
export const AUDIT_EVENT_TYPES = [
  'SIGN_IN_SUCCEEDED',
  'SIGN_IN_FAILED',
  'PASSWORD_CHANGED',
  'NEW_PASSWORD_SET',
  'TEMPORARY_PASSWORD_SET',
  'PASSWORD_RESET_REQUESTED',
  'PASSWORD_RESET_LIMITED',
  'PASSWORD_RESET_COMPLETED',
  /** A genuine, unexpired reset link refused because its sender's rights or its target's address moved on. */
  'PASSWORD_RESET_REFUSED',
  'ACCOUNT_LOCKED',
  'ACCOUNT_UNLOCKED',
  'PERMISSION_GRANTED',
  'PERMISSION_REVOKED',
  'ADMIN_CREATED',
  'ADMIN_UPDATED',
  'ADMIN_DISABLED',
  /** A master enabled a disabled administrator again. */
  'ADMIN_ENABLED',
  'PASSWORD_POLICY_CHANGED',
  'COMPANY_CREATED',
  'FEATURE_ENABLED',
  'FEATURE_DISABLED',
  /** SES reported a permanent bounce or a complaint: the address gets no more reset emails from the company. */
  'EMAIL_SUPPRESSED',
  /** A master (or the operator) cleared a suppressed address. */
  'EMAIL_SUPPRESSION_CLEARED',
  /** A reset refused, before anything was sent, because its address is suppressed. */
  'PASSWORD_RESET_SUPPRESSED',
  /** The operator set or unset the company's daily limit of reset emails. */
  'RESET_LIMIT_CHANGED',
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

/** Where a request came from, as API Gateway saw it. */
export interface Origin {
  readonly sourceIp: string | null;
  readonly userAgent: string | null;
}

export const OPERATOR_ORIGIN: Origin = { sourceIp: null, userAgent: 'adminpass-ops' };

/** Facts attached to an event: plain values only, so nothing structured (a stored password) can slip in. */
export type AuditDetails = Readonly<Record<string, string | number | boolean | null>>;

export interface AuditEvent {
  /** A ULID: events of one instant still sort by creation. */
  readonly eventId: string;
  readonly companyId: string;
  readonly type: AuditEventType;
  readonly outcome: 'success' | 'failure';
  /** UTC, ISO 8601. */
  readonly at: string;
  /** Null for the service operator or an anonymous caller (a reset link holder is named by the target). */
  readonly actorAdminId: string | null;
  readonly targetAdminId: string | null;
  readonly sourceIp: string | null;
  readonly userAgent: string | null;
  readonly details: AuditDetails;
}

/** Events are kept 400 days, then DynamoDB TTL removes them. */
export const AUDIT_RETENTION_DAYS = 400;

export interface AuditFacts {
  readonly companyId: string;
  readonly type: AuditEventType;
  readonly outcome?: 'success' | 'failure';
  readonly actorAdminId: string | null;
  readonly targetAdminId?: string | null;
  readonly origin: Origin;
  readonly details?: AuditDetails;
}

/** Builds an event that happened now. */
export function auditEvent(facts: AuditFacts, deps: { clock: Clock; random: RandomSource }): AuditEvent {
  const now = deps.clock.now();
  return {
    eventId: newUlid(now, deps.random),
    companyId: facts.companyId,
    type: facts.type,
    outcome: facts.outcome ?? 'success',
    at: now.toISOString(),
    actorAdminId: facts.actorAdminId,
    targetAdminId: facts.targetAdminId ?? null,
    sourceIp: facts.origin.sourceIp,
    userAgent: facts.origin.userAgent?.slice(0, 512) ?? null,
    details: facts.details ?? {},
  };
}

/** What a reader of the audit log may narrow it to; every filter is optional and they combine (AND). */
export interface AuditQuery {
  readonly limit: number;
  readonly cursor?: string | undefined;
  /** Events about this admin: the one acted on, or the actor of an event about nobody else. */
  readonly adminId?: string | undefined;
  readonly type?: AuditEventType | undefined;
  /** Inclusive bounds of `at`, ISO 8601. */
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

/** An admin as the audit log names him. */
export interface AdminName {
  readonly adminId: string;
  readonly name: string;
  readonly email: string;
}

/**
 * The admin ids an event mentions: its actor, its subject, and any detail holding one (the master who sent a reset
 * link). Details are plain values, so an admin id among them is known by its shape (a ULID).
 */
export function adminIdsOf(event: AuditEvent): string[] {
  const inDetails = Object.values(event.details).filter((value): value is string => typeof value === 'string' && ADMIN_ID_PATTERN.test(value));
  return [event.actorAdminId, event.targetAdminId, ...inDetails].filter((id): id is string => id !== null);
}
