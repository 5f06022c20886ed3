// Local runtime: IAM enforced on this machine. An SDK middleware on each client the handlers build (DynamoDB, SES,
// Secrets Manager) asks, for every call, which function is running (the local server runs each invocation in a
// scope naming it) and whether that function's policy in the synthesized template allows the call's action on
// its resources; a call the policy would deny fails as AWS answers it, an AccessDeniedException. It also fails a
// call to a table that the function's template environment does not name: deployed, its variable would be unset.
// Only the local server installs it: no deployed bundle imports this file (test/infra/bundles.test.ts checks).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { InitializeMiddleware, MiddlewareStack } from '@smithy/types';
import { TABLES, type TableKey } from '../functions/adapters/dynamodb/table-definitions';
import { LOCAL_ACCOUNT, LOCAL_REGION, type FunctionPolicy, type PolicyStatement } from './function-policies';

/** The service a client talks to, as IAM prefixes its actions. */
export type Service = 'dynamodb' | 'ses' | 'secretsmanager';

/** One action on one resource that a call needs: a call is allowed only if every one of them is. */
export interface Request {
  readonly action: string;
  /** The ARNs any one of which may authorize the action (SES: the address's identity or its domain's). */
  readonly resources: readonly string[];
}

/** What the check tells the local server's log about a call it failed. */
export type DenialReporter = (line: string) => void;

/** The function an invocation runs as, with its policy (table names already local), and where denials are told. */
interface RunningFunction {
  readonly policy: FunctionPolicy;
  readonly report: DenialReporter;
}

const running = new AsyncLocalStorage<RunningFunction>();

/** Runs one invocation as the given function: its SDK calls are checked against its policy. */
export const runAsFunction = <T>(policy: FunctionPolicy, report: DenialReporter, invoke: () => Promise<T>): Promise<T> => running.run({ policy, report }, invoke);

/** The local table names, as the local server's environment gives them to the handlers. */
export const localTableNamesFromEnvironment = (): Record<TableKey, string> =>
  Object.fromEntries((Object.keys(TABLES) as TableKey[]).map((key) => [key, process.env[TABLES[key].envVar] ?? `{unset ${TABLES[key].envVar}}`])) as Record<TableKey, string>;

const tableArn = (name: string) => `arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT}:table/${name}`;
const identityArn = (identity: string) => `arn:aws:ses:${LOCAL_REGION}:${LOCAL_ACCOUNT}:identity/${identity}`;

/** The actions, on which resources, that an SDK call needs, as IAM authorizes the command. */
export function requestsOf(service: Service, commandName: string, input: Record<string, any>): Request[] {
  const operation = commandName.replace(/Command$/, '');
  if (service === 'dynamodb') {
    const on = (action: string, table: string, index?: string) => ({
      action: `dynamodb:${action}`,
      resources: [index === undefined ? tableArn(table) : `${tableArn(table)}/index/${index}`],
    });
    switch (operation) {
      case 'Query':
      case 'Scan':
        return [on(operation, input.TableName, input.IndexName)];
      // A transaction has no permission of its own: each item needs its own action on its own table.
      case 'TransactWriteItems':
        return (input.TransactItems as Record<string, any>[]).map((item) => {
          const [kind, part] = Object.entries(item)[0]!;
          const action = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem' }[kind] ?? kind;
          return on(action, part.TableName);
        });
      case 'TransactGetItems':
        return (input.TransactItems as Record<string, any>[]).map((item) => on('GetItem', item.Get.TableName));
      // Batches are their own actions (dynamodb:BatchWriteItem, dynamodb:BatchGetItem), on each table they touch.
      case 'BatchWriteItem':
      case 'BatchGetItem':
        return Object.keys(input.RequestItems ?? {}).map((table) => on(operation, table));
      default:
        return typeof input.TableName === 'string' ? [on(operation, input.TableName)] : [{ action: `dynamodb:${operation}`, resources: ['*'] }];
    }
  }
  if (service === 'ses') {
    const source = /<([^>]+)>\s*$/.exec(String(input.Source ?? ''))?.[1] ?? String(input.Source ?? '');
    const domain = source.split('@')[1];
    return [{ action: `ses:${operation}`, resources: [identityArn(source), ...(domain ? [identityArn(domain)] : [])] }];
  }
  // Secrets Manager: the secret's ARN (locally the pepper is the only secret).
  return [{ action: `secretsmanager:${operation}`, resources: [String(input.SecretId ?? '*')] }];
}

/** IAM's wildcard match: `*` any run of characters, `?` one; actions case-insensitively. */
function matches(pattern: string, value: string, ignoreCase = false): boolean {
  const expression = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${expression}$`, ignoreCase ? 'i' : '').test(value);
}

const covers = (statement: PolicyStatement, request: Request) =>
  statement.actions.some((action) => matches(action, request.action, true)) &&
  statement.resources.some((pattern) => request.resources.some((resource) => matches(pattern, resource)));

/** IAM's evaluation without conditions: an explicit Deny wins, then an Allow, else the implicit deny. */
export function isAllowed(policy: FunctionPolicy, request: Request): boolean {
  if (policy.statements.some((statement) => statement.effect === 'Deny' && covers(statement, request))) return false;
  return policy.statements.some((statement) => statement.effect === 'Allow' && covers(statement, request));
}

/** The environment variable a call depends on: the one naming its table, the sender, the secret's ARN. */
function variablesNeeded(service: Service, requests: readonly Request[], tableNames: Readonly<Record<TableKey, string>>): string[] {
  // A mailing function reads both (functions/config.ts, mailConfig): the From address and where links point.
  if (service === 'ses') return ['SENDER_EMAIL', 'PUBLIC_BASE_URL'];
  if (service === 'secretsmanager') return ['PEPPER_SECRET_ARN'];
  const byName = new Map((Object.keys(TABLES) as TableKey[]).map((key) => [tableNames[key], TABLES[key].envVar]));
  return requests.flatMap((request) => {
    const name = /:table\/([^/]+)/.exec(request.resources[0] ?? '')?.[1];
    const variable = name === undefined ? undefined : byName.get(name);
    return variable === undefined ? [] : [variable];
  });
}

export interface IamCheckOptions {
  readonly service: Service;
  /** Builds the error the SDK would throw for this service (its ServiceException). */
  readonly accessDenied: (message: string) => Error;
}

/** Thrown for a call to a table whose variable the function's template environment lacks: a stack bug, not an IAM answer. */
export class MissingEnvironmentVariable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingEnvironmentVariable';
  }
}

function checkMiddleware<I extends object, O extends object>(options: IamCheckOptions): InitializeMiddleware<I, O> {
  return (next, context) => async (args) => {
    const current = running.getStore();
    if (current === undefined) return next(args);
    const { policy, report } = current;
    const commandName = context.commandName ?? 'UnknownCommand';
    const requests = requestsOf(options.service, commandName, args.input as Record<string, any>);
    const missing = variablesNeeded(options.service, requests, localTableNamesFromEnvironment()).filter((variable) => !policy.environment.includes(variable));
    const denied = requests.find((request) => !isAllowed(policy, request));
    // Both are told when both apply: a route that forgets a table loses its variable and its grant together.
    if (missing.length > 0) report(`MissingEnvironmentVariable: function ${policy.operationId} called ${commandName} but its template environment has no ${missing.join(', ')}: deployed, that variable is unset`);
    if (denied !== undefined) {
      const message = `User: arn:aws:sts::${LOCAL_ACCOUNT}:assumed-role/${policy.operationId}/local is not authorized to perform: ${denied.action} on resource: ${denied.resources[0]} because no identity-based policy allows the ${denied.action} action`;
      report(`AccessDeniedException: ${message}`);
      throw options.accessDenied(message);
    }
    if (missing.length > 0) throw new MissingEnvironmentVariable(`function ${policy.operationId} has no ${missing.join(', ')} in its template environment`);
    return next(args);
  };
}

/** Installs the check on a client's middleware stack (once: it replaces an earlier one of the same name). */
export function installIamCheck<I extends object, O extends object>(stack: MiddlewareStack<I, O>, options: IamCheckOptions): void {
  stack.add(checkMiddleware<I, O>(options), { step: 'initialize', priority: 'low', name: 'adminpassLocalIamCheck', override: true });
}

const serviceError = (ServiceException: new (options: any) => Error) => (message: string) =>
  new ServiceException({ name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 400 }, message });

/**
 * Installs the check on the one client of each service the handlers build (functions/adapters/clients/), as the
 * same module instances the handlers import. Calls outside an invocation (the demo seed, tests' own clients) pass.
 */
export async function checkHandlerClients(): Promise<void> {
  const [{ dynamoDb }, { ses }, { secretsManager }, dynamo, sesModule, secrets] = await Promise.all([
    import('../functions/adapters/clients/dynamodb'),
    import('../functions/adapters/clients/ses'),
    import('../functions/adapters/clients/secrets-manager'),
    import('@aws-sdk/client-dynamodb'),
    import('@aws-sdk/client-ses'),
    import('@aws-sdk/client-secrets-manager'),
  ]);
  installIamCheck(dynamoDb.middlewareStack, { service: 'dynamodb', accessDenied: serviceError(dynamo.DynamoDBServiceException) });
  installIamCheck(ses.middlewareStack, { service: 'ses', accessDenied: serviceError(sesModule.SESServiceException) });
  installIamCheck(secretsManager.middlewareStack, { service: 'secretsmanager', accessDenied: serviceError(secrets.SecretsManagerServiceException) });
}
