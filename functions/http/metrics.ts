// HTTP adapter: the service's metrics (functions/http/metric-names.ts), published through Powertools Metrics in
// CloudWatch's embedded metric format: one JSON line in the function's log, which CloudWatch turns into data points,
// so publishing is writing to stdout, never a network call. What counts is decided here once, from what the use
// cases already produce: the audit events a write stored (METRIC_OF_EVENT) and the outcome of each email's send.
// The composition root (functions/wiring) hands the stores' writes and the mailer through here; the use cases know
// nothing of it. Only functions that store or send import this module, so one that does neither (health) loads none
// of Powertools Metrics.
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { classifySdkError, currentOutcome } from '../adapters/clients/request-outcome';
import type { AuditEvent } from '../domain/audit';
import type { Mailer } from '../domain/ports';
import { logger } from './logger';
import { METRIC_OF_EVENT, SERVICE_NAME, type ServiceMetric } from './metric-names';
import { afterEachAnswer } from './pipeline';

// The namespace comes from the stack (POWERTOOLS_METRICS_NAMESPACE, set by lib/service-alarms.ts); `service` is the
// one dimension.
const metrics = new Metrics({ serviceName: SERVICE_NAME, logger });

/** The log levels at which the metric lines are written: as deployed (INFO), not at a local run's WARN or the tests' SILENT. */
const PUBLISHING_LEVELS: ReadonlySet<string> = new Set(['TRACE', 'DEBUG', 'INFO']);

function count(metric: ServiceMetric): void {
  // Outside an invocation (the operator's commands, the local demo seed) nothing would ever publish the count.
  if (currentOutcome() === undefined) return;
  metrics.addMetric(metric, MetricUnit.Count, 1);
}

/**
 * Passes a write's outcome on and, once it resolved, counts the events it stored. A write refused or unanswered
 * stored none, and one that resolves false (an unlock of an admin who is gone) stored none either.
 */
export async function countStored<T>(events: readonly Pick<AuditEvent, 'type'>[], write: Promise<T>): Promise<T> {
  const result = await write;
  if (result !== false) {
    for (const { type } of events) {
      const metric = METRIC_OF_EVENT[type];
      if (metric !== undefined) count(metric);
    }
  }
  return result;
}

/**
 * The mailer, counting each email SES accepted and each it refused (or throttled). A send without an answer is
 * neither: it may have gone out (the request's own log line and the EmailSendFailures alarm report it).
 */
export function countingSends(mailer: Mailer): Mailer {
  return {
    async send(to, message, tags) {
      try {
        await mailer.send(to, message, tags);
      } catch (error) {
        if (classifySdkError(error) !== 'no-answer') count('EmailRefusedBySes');
        throw error;
      }
      count('EmailSent');
    },
  };
}

/**
 * Writes what was counted since the last answer as one EMF line, or drops it when the log level keeps info lines
 * quiet. Concurrent invocations of one container (the local runtime's) share the store; each count is written once.
 */
function publishCounts(): void {
  if (!metrics.hasStoredMetrics()) return;
  if (PUBLISHING_LEVELS.has(logger.getLevelName())) metrics.publishStoredMetrics();
  else metrics.clearMetrics();
}

afterEachAnswer(publishCounts);
