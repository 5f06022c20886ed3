// Local runtime: what the deployment is, read from the synthesized CloudFormation templates, so that the local
// server runs what deploys: each function (its handler, environment with values, timeout, memory, and the statements
// of the IAM policies on its role, which the local IAM check enforces), and the API Gateway of the stateless stack
// (routes, request models, gateway responses: local/gateway.ts reads them). Synthesizing takes tens of seconds on a
// busy machine, so the result is cached under .cache/synth/, keyed by a hash of everything the template is built from.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { TABLES, type TableKey } from '../functions/adapters/dynamodb/table-definitions';
import { fallbackRoute, routeList, type RouteDefinition } from '../functions/contract/routes';
import { sourcesHash } from './sources-hash';

/** The account and region the local ARNs are written in. */
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'us-east-1';
/** The sender the template is synthesized with: the local stack's and the tests' From address. */
export const LOCAL_SENDER = 'adminpass@localhost.localdomain';
/** The ARN the pepper secret has locally (nothing local reads it: PASSWORD_PEPPER stands in). */
export const LOCAL_PEPPER_ARN = `arn:aws:secretsmanager:${LOCAL_REGION}:${LOCAL_ACCOUNT}:secret:adminpass-pepper`;

/** A table's ARN in a statement, before the local table names are known: `{table:<key>}` stands for the name. */
const tablePlaceholder = (key: TableKey) => `{table:${key}}`;

/** One statement of a function's policy, every resource an ARN (tables as placeholders until loaded). */
export interface PolicyStatement {
  readonly effect: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  /** Present when the statement has a condition; the check does not evaluate conditions (README). */
  readonly condition?: unknown;
}

/** What the template gives one function. */
export interface FunctionPolicy {
  readonly operationId: string;
  /** Its handler folder, functions/<handler>/, whose bundle it runs. */
  readonly handler: string;
  /** The logical id of its AWS::Lambda::Function, which the API's integrations name. */
  readonly logicalId: string;
  readonly statements: readonly PolicyStatement[];
  /**
   * Its environment variables with their values as the template sets them; a table's name is `{table:<key>}` and a
   * value only AWS can resolve (the API's own URL) is `arn:local:unresolved:…`, both replaced by the local runtime.
   */
  readonly environment: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
}

/** Every API function's policy, by its route's operationId (the fallback's included). */
export type FunctionPolicies = Readonly<Record<string, FunctionPolicy>>;

/** What the local runtime reads of the synthesized app. */
export interface SynthesizedTemplate {
  readonly functions: FunctionPolicies;
  /** The stateless stack's template, for its API Gateway resources. */
  readonly api: Json;
}

type Json = Record<string, any>;

const ROOT = join(import.meta.dirname, '..');
/** What the template is built from: the constructs, the route table and its schemas, the tables, the CDK context. */
const SOURCES = ['lib', 'functions/contract', 'functions/adapters/dynamodb/table-definitions.ts', 'functions/adapters/clients/sdk-budget.ts', 'functions/http', 'cdk.json', 'package-lock.json', 'local/synthesized-template.ts', 'local/sources-hash.ts'];
const CACHE_DIR = join(ROOT, '.cache', 'synth');

/** A hash of every file the template is built from: the cache key. */
export const templateSourcesHash = (): string => sourcesHash(SOURCES);

/**
 * The app as `cdk synth` builds it (stage dev, the local sender), from the cache when the sources are unchanged.
 * `routes` builds it from another route table, never cached: only tests do that.
 */
export async function loadSynthesizedTemplate(options: { routes?: readonly RouteDefinition[]; log?: (line: string) => void } = {}): Promise<SynthesizedTemplate> {
  if (options.routes) return synthesize(options.routes);
  const file = join(CACHE_DIR, `${templateSourcesHash()}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as SynthesizedTemplate;
  options.log?.('Synthesizing the app to read its functions and API (10 to 40 s; cached in .cache/synth/ until lib/ or the route table changes)…');
  const policies = await synthesize();
  mkdirSync(CACHE_DIR, { recursive: true });
  // Written aside and renamed, so a parallel reader never sees half a file.
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, JSON.stringify(policies));
  renameSync(partial, file);
  return policies;
}

/** Synthesizes both stacks in this process (no AWS account, no bundling) and reads each function and the API. */
async function synthesize(routes?: readonly RouteDefinition[]): Promise<SynthesizedTemplate> {
  // Imported here: aws-cdk-lib takes seconds to load, and a cached run needs none of it.
  const { App } = await import('aws-cdk-lib');
  const { defineAdminpass } = await import('../lib/adminpass');
  const { readAppContext } = await import('../lib/app-context');
  const projectContext = (JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as { context: Json }).context;
  const app = new App({ context: { ...projectContext, 'aws:cdk:bundling-stacks': [], stage: 'dev', senderEmail: LOCAL_SENDER } });
  const { stateful, stateless } = defineAdminpass(app, readAppContext(app), routes ? { routes } : {});
  const assembly = app.synth();
  const data = assembly.getStackByName(stateful.stackName).template as Json;
  const api = assembly.getStackByName(stateless.stackName).template as Json;
  const idOf = (stack: typeof stateful | typeof stateless, construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as CfnElement);

  // The stateful stack's logical ids, as ARNs and names the local parts answer to.
  const arns = new Map<string, string>();
  const names = new Map<string, string>();
  for (const key of Object.keys(TABLES) as TableKey[]) {
    const id = idOf(stateful, stateful.data.tables[key]);
    arns.set(id, `arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT}:table/${tablePlaceholder(key)}`);
    names.set(id, tablePlaceholder(key));
  }
  const secretId = idOf(stateful, stateful.pepperSecret.secret);
  arns.set(secretId, LOCAL_PEPPER_ARN);
  names.set(secretId, LOCAL_PEPPER_ARN);

  // What the stateless stack reads of the stateful one: its outputs, by name (Fn::GetStackOutput, a weak reference).
  const outputs = (data.Outputs ?? {}) as Json;
  const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': LOCAL_REGION, 'AWS::AccountId': LOCAL_ACCOUNT, 'AWS::URLSuffix': 'amazonaws.com' };
  /** An intrinsic as the string it resolves to locally; a resource of this stack becomes an ARN no request has. */
  const resolve = (node: unknown): string => {
    if (typeof node === 'string') return node;
    const value = node as Json;
    const output = value['Fn::GetStackOutput']?.OutputName;
    if (typeof output === 'string') return resolve(outputs[output]?.Value ?? `unresolved:${output}`);
    if (value['Fn::GetAtt']?.[1] === 'Arn') return arns.get(value['Fn::GetAtt'][0]) ?? `arn:local:unresolved:${value['Fn::GetAtt'][0]}`;
    if (typeof value.Ref === 'string') return pseudo[value.Ref] ?? names.get(value.Ref) ?? `arn:local:unresolved:${value.Ref}`;
    if (Array.isArray(value['Fn::Join'])) return (value['Fn::Join'][1] as unknown[]).map(resolve).join(value['Fn::Join'][0]);
    return `arn:local:unresolved:${JSON.stringify(node)}`;
  };

  // Which handler each function runs: the template knows the function, the route table the code it was built from.
  const handlerOf = new Map([...(routes ?? routeList), fallbackRoute].map((route) => [route.operationId, route.handler]));
  const policies: Record<string, FunctionPolicy> = {};
  for (const [operationId, fn] of stateless.api.functions) {
    const roleId = idOf(stateless, fn.role);
    const statements = Object.values((api.Resources ?? {}) as Json)
      .filter((resource) => resource.Type === 'AWS::IAM::Policy' && (resource.Properties.Roles as Json[]).some((role) => role.Ref === roleId))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Json[])
      .map(
        (statement): PolicyStatement => ({
          effect: statement.Effect === 'Deny' ? 'Deny' : 'Allow',
          actions: [statement.Action].flat() as string[],
          resources: [statement.Resource].flat().map(resolve),
          ...(statement.Condition === undefined ? {} : { condition: statement.Condition }),
        }),
      );
    const logicalId = idOf(stateless, fn.handler);
    const properties = api.Resources[logicalId].Properties as Json;
    const variables = Object.entries((properties.Environment?.Variables ?? {}) as Json).map(([name, value]) => [name, resolve(value)] as const);
    policies[operationId] = {
      operationId,
      handler: handlerOf.get(operationId) ?? operationId,
      logicalId,
      statements,
      environment: Object.fromEntries(variables.sort(([a], [b]) => a.localeCompare(b))),
      timeoutSeconds: Number(properties.Timeout ?? 3),
      memoryMb: Number(properties.MemorySize ?? 128),
    };
  }
  return { functions: policies, api };
}

/** The policies with each table placeholder (in ARNs and in environment values) replaced by the table's local name. */
export function withLocalTableNames(policies: FunctionPolicies, tableNames: Readonly<Record<TableKey, string>>): FunctionPolicies {
  const substitute = (text: string) => text.replace(/\{table:(\w+)\}/g, (_, key: TableKey) => tableNames[key] ?? `{table:${key}}`);
  return Object.fromEntries(
    Object.entries(policies).map(([operationId, policy]) => [
      operationId,
      {
        ...policy,
        statements: policy.statements.map((statement) => ({ ...statement, resources: statement.resources.map(substitute) })),
        environment: Object.fromEntries(Object.entries(policy.environment).map(([name, value]) => [name, substitute(value)])),
      },
    ]),
  );
}
