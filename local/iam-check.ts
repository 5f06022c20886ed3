// Local runtime: IAM's decision on one AWS call, as the local AWS endpoint (local/aws-endpoint.ts) asks it for every
// request a function sends: which actions on which resources the call needs, and whether the function's policy in
// the synthesized template allows each. It does not model conditions, resource policies, permission boundaries or
// service control policies (README, "The local runtime").
import { LOCAL_ACCOUNT, LOCAL_REGION, type FunctionPolicy, type PolicyStatement } from './synthesized-template';

/** The service a client talks to, as IAM prefixes its actions. */
export type Service = 'dynamodb' | 'ses' | 'secretsmanager';

/** One action on one resource that a call needs: a call is allowed only if every one of them is. */
export interface Request {
  readonly action: string;
  /** The ARNs any one of which may authorize the action (SES: the address's identity or its domain's). */
  readonly resources: readonly string[];
}

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

/**
 * isAllowed, remembered per policy and request: a function repeats the same few actions on the same few tables, and
 * a template's policies do not change while the local runtime runs.
 */
export function rememberedDecisions(): (policy: FunctionPolicy, request: Request) => boolean {
  const byPolicy = new WeakMap<FunctionPolicy, Map<string, boolean>>();
  return (policy, request) => {
    let decisions = byPolicy.get(policy);
    if (decisions === undefined) byPolicy.set(policy, (decisions = new Map()));
    const key = `${request.action} ${request.resources.join(' ')}`;
    let allowed = decisions.get(key);
    if (allowed === undefined) decisions.set(key, (allowed = isAllowed(policy, request)));
    return allowed;
  };
}
