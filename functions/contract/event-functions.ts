// Contract: the functions no HTTP request invokes, each declared once, as routes.ts declares the API's: its handler,
// what starts it, and the tables it reads or writes. The stack builds each with the same house function and derives
// its grants from `tables` exactly as it does a route's; nothing here is in the API or the OpenAPI document.
import type { RouteDefinition } from './routes';

/** What every function declares, a route or not: the part of a route the house function and its grants are built from. */
export type FunctionDeclaration = Pick<RouteDefinition, 'operationId' | 'handler' | 'summary' | 'tables' | 'usesPepper' | 'sendsEmail' | 'assets' | 'errors'>;

/**
 * What invokes an event function. `ses-feedback`: the SNS topic the sender identity's configuration set publishes
 * bounces and complaints to (lib/delivery-feedback.ts).
 */
export type EventSource = 'ses-feedback';

export interface EventFunctionDefinition extends FunctionDeclaration {
  readonly trigger: EventSource;
}

export const eventFunctions = {
  sesFeedback: {
    operationId: 'sesFeedback',
    handler: 'ses-feedback',
    summary: "Records SES's permanent bounces and complaints as suppressed addresses of the company the email was sent for.",
    trigger: 'ses-feedback',
    // directory: the suppression item, the company it belongs to and the admin holding the address; audit: its event.
    tables: { directory: 'write', audit: 'write' },
  },
} as const satisfies Record<string, EventFunctionDefinition>;

export const eventFunctionList: readonly EventFunctionDefinition[] = Object.values(eventFunctions);
