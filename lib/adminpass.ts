// Infrastructure: one stage of adminpass as two stacks, stateful and stateless, built from the validated context.
// bin/app.ts and the stack tests both build the app through here, so what is tested is what deploys.
import { Tags, Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import type { RouteDefinition } from '../functions/contract/routes';
import { DISPOSABLE_STAGE, type AppContext } from './app-context';
import { AdminpassStatefulStack } from './stateful-stack';
import { AdminpassStatelessStack } from './stateless-stack';

/** The two stacks of one stage. */
export interface AdminpassStacks {
  readonly stateful: AdminpassStatefulStack;
  readonly stateless: AdminpassStatelessStack;
}

/**
 * Stack names: `adminpass-<stage>` is the one an operator names (its outputs are everything the ops commands
 * need); `adminpass-<stage>-data` holds the data and is deployed first.
 */
export const stackNamesOf = (stage: string) => ({ stateful: `adminpass-${stage}-data`, stateless: `adminpass-${stage}` }) as const;

/** What only tests change about the app: the route table it is built from. */
export interface AdminpassOverrides {
  /** @default routeList from functions/contract/routes.ts */
  readonly routes?: readonly RouteDefinition[];
}

/** Both stacks of the stage the context names, environment-agnostic (no account or region at synth time). */
export function defineAdminpass(scope: Construct, context: AppContext, overrides: AdminpassOverrides = {}): AdminpassStacks {
  const names = stackNamesOf(context.stage);
  const ephemeral = context.stage === DISPOSABLE_STAGE;
  const stateful = new AdminpassStatefulStack(scope, names.stateful, {
    description: `adminpass ${context.stage}: tables, pepper, SES identity and its feedback topic`,
    ephemeral,
    stage: context.stage,
    sender: { senderEmail: context.senderEmail, verify: context.senderIdentity },
  });
  const stateless = new AdminpassStatelessStack(scope, names.stateless, {
    description: `adminpass ${context.stage}: API, functions, web ACL and alarms`,
    stage: context.stage,
    stateful,
    bcryptCost: context.bcryptCost,
    passwordHashScheme: context.passwordHashScheme,
    ephemeral,
    allowedOrigins: context.allowedOrigins,
    sandboxRecipients: context.sandboxRecipients,
    ...(overrides.routes ? { routes: overrides.routes } : {}),
    ...(context.publicBaseUrl ? { publicBaseUrl: context.publicBaseUrl } : {}),
    ...(context.alarmEmail ? { alarmEmail: context.alarmEmail } : {}),
    ...(context.pwnedPasswordsUrl
      ? { breachedPasswordCheck: { url: context.pwnedPasswordsUrl, ...(context.pwnedPasswordsTimeoutMs ? { timeoutMs: context.pwnedPasswordsTimeoutMs } : {}) } }
      : {}),
  });
  for (const stack of [stateful, stateless]) {
    Tags.of(stack).add('project', 'adminpass');
    Tags.of(stack).add('stage', context.stage);
  }
  return { stateful, stateless };
}

/**
 * Runs cdk-nag's AWS Solutions rules when the app synthesizes: a finding not acknowledged beside its resource, with
 * a reason (`Validations.of(construct).acknowledge({ id, reason })`), fails the synth and prints the report.
 */
export function checkWithCdkNag(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}
