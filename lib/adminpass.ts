// Infrastructure: one stage of adminpass as two stacks, stateful and stateless, built from the validated context,
// on the account stack of their account and region. bin/app.ts and the stack tests both build the app through here,
// so what is tested is what deploys.
import { Tags, Validations, type App, type Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import type { RouteDefinition } from '../functions/contract/routes';
import { ACCOUNT_STACK_NAME, AdminpassAccountStack } from './account-stack';
import { DISPOSABLE_STAGE, type AppContext } from './app-context';
import { AdminpassStatefulStack } from './stateful-stack';
import { AdminpassStatelessStack } from './stateless-stack';

/** The two stacks of one stage, and the account stack they are deployed on. */
export interface AdminpassStacks {
  readonly account: AdminpassAccountStack;
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

/**
 * The account stack, created once per app however many stages share it. An app builds the stages of one account
 * and region (bin/app.ts builds one stage), so a second environment is a mistake, named here.
 */
function accountStackOf(scope: Construct, env: Environment | undefined): AdminpassAccountStack {
  const existing = scope.node.tryFindChild(ACCOUNT_STACK_NAME);
  if (existing instanceof AdminpassAccountStack) {
    if (existing.account !== (env?.account ?? existing.account) || existing.region !== (env?.region ?? existing.region)) {
      throw new Error(`adminpass: one app builds the stages of one account and region; ${ACCOUNT_STACK_NAME} is already built for another`);
    }
    return existing;
  }
  const stack = new AdminpassAccountStack(scope, ACCOUNT_STACK_NAME, env ? { env } : {});
  Tags.of(stack).add('project', 'adminpass');
  return stack;
}

/**
 * Both stacks of the stage the context names, and the account stack they depend on: pinned to the stage's account
 * and region when it names them, environment-agnostic (a dev stage) when not.
 */
export function defineAdminpass(scope: Construct, context: AppContext, overrides: AdminpassOverrides = {}): AdminpassStacks {
  const names = stackNamesOf(context.stage);
  const ephemeral = context.stage === DISPOSABLE_STAGE;
  const env = context.account && context.region ? { account: context.account, region: context.region } : undefined;
  const account = accountStackOf(scope, env);
  const stateful = new AdminpassStatefulStack(scope, names.stateful, {
    description: `adminpass ${context.stage}: tables, pepper, SES identity and its feedback topic`,
    ...(env ? { env } : {}),
    ephemeral,
    stage: context.stage,
    sender: {
      senderEmail: context.senderEmail,
      verify: context.senderIdentity,
      ...(context.mailFromDomain ? { mailFromDomain: context.mailFromDomain } : {}),
    },
  });
  const stateless = new AdminpassStatelessStack(scope, names.stateless, {
    description: `adminpass ${context.stage}: API, functions, web ACL and alarms`,
    ...(env ? { env } : {}),
    stage: context.stage,
    stateful,
    bcryptCost: context.bcryptCost,
    passwordHashScheme: context.passwordHashScheme,
    ephemeral,
    allowedOrigins: context.allowedOrigins,
    sandboxRecipients: context.sandboxRecipients,
    ...(overrides.routes ? { routes: overrides.routes } : {}),
    ...(context.publicBaseUrl ? { publicBaseUrl: context.publicBaseUrl } : {}),
    ...(context.customDomain ? { customDomain: context.customDomain } : {}),
    ...(context.alarmEmail ? { alarmEmail: context.alarmEmail } : {}),
    ...(context.pwnedPasswordsUrl
      ? { breachedPasswordCheck: { url: context.pwnedPasswordsUrl, ...(context.pwnedPasswordsTimeoutMs ? { timeoutMs: context.pwnedPasswordsTimeoutMs } : {}) } }
      : {}),
  });
  // The stage's API logs through the account's setting, which must be in place before its stage is created.
  stateless.addStackDependency(account, 'API Gateway logs through the account setting');
  for (const stack of [stateful, stateless]) {
    Tags.of(stack).add('project', 'adminpass');
    Tags.of(stack).add('stage', context.stage);
  }
  return { account, stateful, stateless };
}

/**
 * Runs cdk-nag's AWS Solutions rules when the app synthesizes: a finding not acknowledged beside its resource, with
 * a reason (`Validations.of(construct).acknowledge({ id, reason })`), fails the synth and prints the report.
 */
export function checkWithCdkNag(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}
