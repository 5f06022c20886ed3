// HTTP adapter: the service's own metrics by name, with no runtime dependency, so the functions that publish them
// (functions/http/metrics.ts) and the stack that graphs and alarms on them (lib/dashboard.ts, lib/service-alarms.ts)
// read the same names, namespace and service dimension.
import type { AuditEventType } from '../domain/audit';

/** The Powertools service name: the `service` field of every log line and the one dimension of every metric. */
export const SERVICE_NAME = 'adminpass';

/** The environment variable Powertools Metrics reads its namespace from. */
export const METRICS_NAMESPACE_ENV = 'POWERTOOLS_METRICS_NAMESPACE';

/** Each stage's metrics, the service's own and those its log filters count, in one namespace. */
export const metricNamespaceOf = (stageName: string): string => `adminpass/${stageName}`;

/**
 * The service's metrics and what each counts. All are counts with the `service` dimension alone: a per-company
 * dimension would make one metric per company and name (README, "Observability"), so per-company questions are
 * answered from the request log lines instead.
 */
export const SERVICE_METRICS = {
  SignInSucceeded: 'Sign-ins whose password was right and that opened a session or a new-password challenge.',
  SignInFailed: 'Sign-ins refused, whatever the reason (wrong password, unknown email, locked, disabled).',
  AccountLocked: 'Locks set by a wrong password that took the last place of a count (sign-in or own password change).',
  PasswordResetRequested: 'Reset and set-up links issued (the email went out and the reset was stored).',
  PasswordResetCompleted: 'Passwords set through a reset or set-up link.',
  EmailSent: 'Emails SES accepted (reset links and notices).',
  EmailSuppressed: 'Reset emails not sent because their address is suppressed (it bounced for good or complained).',
  EmailRefusedBySes: 'Emails SES answered with a refusal or a throttle (nothing was sent).',
} as const;

export type ServiceMetric = keyof typeof SERVICE_METRICS;

/** The audit events each metric counts: an event counts once it is stored, so the metrics agree with the audit trail. */
export const METRIC_OF_EVENT: Readonly<Partial<Record<AuditEventType, ServiceMetric>>> = {
  SIGN_IN_SUCCEEDED: 'SignInSucceeded',
  SIGN_IN_FAILED: 'SignInFailed',
  ACCOUNT_LOCKED: 'AccountLocked',
  PASSWORD_RESET_REQUESTED: 'PasswordResetRequested',
  PASSWORD_RESET_COMPLETED: 'PasswordResetCompleted',
  PASSWORD_RESET_SUPPRESSED: 'EmailSuppressed',
};
