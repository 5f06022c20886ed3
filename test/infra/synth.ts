// Stack test support: the app synthesized the way bin/app.ts builds it (context read and validated, both stacks of
// one stage), with bundling skipped, and helpers that read the templates by logical id.
import { readFileSync } from 'node:fs';
import { beforeAll, jest } from '@jest/globals';
import { App, type CfnElement, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { TABLES, type TableKey } from '../../functions/adapters/dynamodb/table-definitions';
import type { FunctionDeclaration } from '../../functions/contract/event-functions';
import { defineAdminpass } from '../../lib/adminpass';
import { readAppContext } from '../../lib/app-context';
import type { AdminpassAccountStack } from '../../lib/account-stack';
import type { AdminpassStatefulStack } from '../../lib/stateful-stack';
import type { AdminpassStatelessStack } from '../../lib/stateless-stack';
import { SYNTH_TIMEOUT_MS } from '../support/timeouts';

/** CloudFormation JSON as the template hands it back. */
export type Json = Record<string, any>;

export const SENDER = 'no-reply@mail.adminpass.example';
export const ALARM_EMAIL = 'ops@adminpass.example';
/** The account and region a stage other than dev is pinned to in the tests. */
export const ACCOUNT = '111111111111';
export const REGION = 'eu-west-1';
export const tableKeys = Object.keys(TABLES) as TableKey[];

/** The feature flags of cdk.json, so the tests synthesize with the settings `cdk synth` uses. */
const projectContext = (JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Json }).context;

export interface Synthesized {
  readonly app: App;
  readonly account: AdminpassAccountStack;
  readonly stateful: AdminpassStatefulStack;
  readonly stateless: AdminpassStatelessStack;
  /** The stateful stack's template. */
  readonly data: Template;
  /** The stateless stack's template. */
  readonly api: Template;
  /** The stateless stack's template with each Fn::GetStackOutput replaced by the stateful stack's output it reads. */
  readonly apiResolved: Json;
}

/** A fresh app with the given context on top of the project's; bundling is skipped, so no code is built. */
export function newApp(context: Json = {}): App {
  return new App({ context: { ...projectContext, 'aws:cdk:bundling-stacks': [], ...context } });
}

const synthesized = new Map<string, Synthesized>();

/**
 * Both stacks for this context (stage dev and the test sender unless given; outside dev the alarm email, the
 * account and the region too). The
 * templates are only ever read, so one synthesis per context serves every test that asks for it.
 */
export function synth(context: Json = {}): Synthesized {
  const outsideDev = context.stage !== undefined && context.stage !== 'dev';
  const full = { stage: 'dev', senderEmail: SENDER, ...(outsideDev ? { alarmEmail: ALARM_EMAIL, account: ACCOUNT, region: REGION } : {}), ...context };
  const key = JSON.stringify(full);
  const cached = synthesized.get(key);
  if (cached) return cached;
  const app = newApp(full);
  const { account, stateful, stateless } = defineAdminpass(app, readAppContext(app));
  const data = Template.fromStack(stateful);
  const api = Template.fromStack(stateless);
  const result = { app, account, stateful, stateless, data, api, apiResolved: resolveStackOutputs(api.toJSON(), data.toJSON()) };
  synthesized.set(key, result);
  return result;
}

/** Replaces every Fn::GetStackOutput with the value of the producing template's output it names. */
function resolveStackOutputs(consumer: Json, producer: Json): Json {
  const outputs = (producer.Outputs ?? {}) as Json;
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const name = (node as Json)['Fn::GetStackOutput']?.OutputName;
    if (typeof name === 'string' && outputs[name] !== undefined) return outputs[name].Value;
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, walk(value)]));
  };
  return walk(consumer) as Json;
}

export const logicalIdOf = (stack: Stack, construct: IConstruct): string => stack.getLogicalId(construct.node.defaultChild as CfnElement);

/** The logical ids of the route's (or event function's) function, its role and its log group in the stateless stack. */
export function functionOf({ stateless }: Synthesized, route: Pick<FunctionDeclaration, 'operationId'>) {
  const fn = stateless.api.functions.get(route.operationId) ?? stateless.eventFunctions.functions.get(route.operationId);
  if (!fn) throw new Error(`no function for ${route.operationId}`);
  return {
    functionId: logicalIdOf(stateless, fn.handler),
    roleId: logicalIdOf(stateless, fn.role),
    logGroupId: logicalIdOf(stateless, fn.logGroup),
  };
}

export const tableIdOf = ({ stateful }: Synthesized, key: TableKey): string => logicalIdOf(stateful, stateful.data.tables[key]);
export const secretIdOf = ({ stateful }: Synthesized): string => logicalIdOf(stateful, stateful.pepperSecret.secret);

/** Resources of a type in a template, by logical id. */
export const resourcesOf = (template: Json, type: string): Record<string, Json> =>
  Object.fromEntries(Object.entries(template.Resources as Json).filter(([, resource]) => resource.Type === type));

export interface Statement {
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Effect: string;
  readonly Condition?: Json;
}

/** Every statement of every policy attached to the role, the stateful stack's outputs resolved. */
export function statementsOf(synthesized: Synthesized, roleId: string): Statement[] {
  const attached = Object.values(resourcesOf(synthesized.apiResolved, 'AWS::IAM::Policy')).filter((policy) =>
    (policy.Properties.Roles as Json[]).some((role) => role.Ref === roleId),
  );
  return attached.flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

/**
 * A resource of a policy statement, named for comparison: a logical id for a resource's ARN or Ref, the id with its
 * suffix for an index ARN, `ses:identity/<name>` for an SES identity ARN.
 */
export function resourceName(resource: unknown): string {
  const node = resource as Json;
  if (node['Fn::GetAtt']?.[1] === 'Arn') return node['Fn::GetAtt'][0];
  if (typeof node.Ref === 'string') return node.Ref;
  const joined = node['Fn::Join']?.[1] as Json[] | undefined;
  if (joined?.[0]?.['Fn::GetAtt']?.[1] === 'Arn' && typeof joined[1] === 'string') return `${joined[0]['Fn::GetAtt'][0]}${joined[1]}`;
  const text = joined?.filter((part) => typeof part === 'string').join('');
  const identity = text === undefined ? undefined : /:ses:.*:identity\/(.+)$/.exec(text)?.[1];
  if (identity !== undefined) return `ses:identity/${identity}`;
  // A configuration set's ARN ends in its name, a Ref to the configuration set (stack outputs resolved).
  const last = joined?.at(-1) as Json | undefined;
  if (text?.endsWith(':configuration-set/') && typeof last?.Ref === 'string') return `ses:configuration-set/${last.Ref}`;
  return JSON.stringify(resource);
}

/**
 * The role's permissions as sorted lines `[Deny ]<action> on <resource>[ if <condition>]`: one line per action and resource,
 * so two grants of the same thing, or a grant folded into another statement, read the same.
 */
export function permissionsOf(synthesized: Synthesized, roleId: string): string[] {
  return statementsOf(synthesized, roleId)
    .flatMap((statement) => {
      const effect = statement.Effect === 'Allow' ? '' : `${statement.Effect} `;
      const condition = statement.Condition === undefined ? '' : ` if ${JSON.stringify(statement.Condition)}`;
      return [statement.Action].flat().flatMap((action) => [statement.Resource].flat().map((resource) => `${effect}${action} on ${resourceName(resource)}${condition}`));
    })
    .sort();
}

/** Asserts that the resource with this logical id matches the pattern, which may use Match helpers. */
export function expectResource(template: Template, type: string, logicalId: string, pattern: Json): void {
  expect(Object.keys(template.findResources(type, pattern))).toContain(logicalId);
}

export { Match };

// Every stack test file synthesizes: the default context once before its tests, within its own bound, and a test
// that asks for another context synthesizes that one itself, so each test of these files gets the same bound.
jest.setTimeout(SYNTH_TIMEOUT_MS);
beforeAll(() => {
  synth();
}, SYNTH_TIMEOUT_MS);
