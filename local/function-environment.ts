// Local runtime: the environment a function's workers start with: exactly the variables its template gives it, with
// the values only a deployment has replaced by the local parts', plus what Lambda itself sets and the few settings
// a local run may tune. A variable the template does not give the function is not there, so a route that forgets a
// table, the pepper or the sender fails locally as it would deployed.
import { judgesNewPasswords, routes, type RouteDefinition } from '../functions/contract/routes';
import { accessKeyIdOf } from './aws-endpoint';
import type { FunctionPolicy } from './synthesized-template';

/** Flags that apply to a whole Node process and that a worker thread cannot take (source maps are on in the runner). */
const PROCESS_WIDE = new Set(['NODE_OPTIONS']);

/**
 * Variables the template sets that a local run may set to its own value, when the shell (or a test) sets them: the
 * hash cost (load tests lower it), the hash scheme (to try argon2id) and how much the functions log.
 */
const LOCALLY_OVERRIDDEN = ['BCRYPT_COST', 'PASSWORD_HASH_SCHEME', 'POWERTOOLS_LOG_LEVEL'] as const;

/**
 * The breached-password check's settings: the stack gives them to the functions that judge new passwords when a
 * deployment turns the check on; a local run turns it on the same way, from the shell.
 */
const BREACH_CHECK = ['PWNED_PASSWORDS_URL', 'PWNED_PASSWORDS_TIMEOUT_MS'] as const;

/**
 * Settings the stack leaves at the code's defaults (functions/config.ts) that a local run may tune, passed to every
 * function when set: the reset limits and lifetimes the tests shorten or raise. Never a table, secret or address.
 */
export const LOCAL_TUNING = [
  'RESETS_PER_MASTER_PER_HOUR',
  'RESETS_PER_TARGET_PER_HOUR',
  'RESETS_PER_COMPANY_PER_DAY',
  'RESET_LINK_MAX_MISSES',
  'RESET_LINK_MISS_WINDOW_MINUTES',
  'RESET_LINK_TTL_MINUTES',
  'SESSION_TTL_MINUTES',
  'CHALLENGE_TTL_MINUTES',
] as const;

export interface LocalParts {
  /** The local AWS endpoint every SDK call goes to (local/aws-endpoint.ts). */
  readonly awsEndpoint: string;
  /** The local API's own URL: where the deployed stack's own URL would point emailed links. */
  readonly apiUrl: string;
  /** Where overrides, tuning and the local pepper are read: the runner's environment. */
  readonly runner: Readonly<Record<string, string | undefined>>;
}

/** The name a function has locally, in its environment, its context and its log group. */
export const localFunctionName = (fn: Pick<FunctionPolicy, 'operationId'>): string => `adminpass-local-${fn.operationId}`;

/** A value the template takes from a resource only AWS creates (the API's own URL), left unresolved by the local synth. */
const unresolved = (value: string) => value.includes('arn:local:unresolved:');

/** The environment of one function's workers. */
export function functionEnvironment(fn: FunctionPolicy, local: LocalParts): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(fn.environment)) {
    if (PROCESS_WIDE.has(name)) continue;
    if (name === 'PEPPER_SECRET_ARN') {
      // No Secrets Manager runs locally: the function gets the local pepper itself, and only if it is given the secret.
      const pepper = local.runner.PASSWORD_PEPPER;
      if (pepper !== undefined) environment.PASSWORD_PEPPER = pepper;
      continue;
    }
    environment[name] = name === 'PUBLIC_BASE_URL' && unresolved(value) ? local.apiUrl : value;
  }
  const route = (routes as Readonly<Record<string, RouteDefinition>>)[fn.operationId];
  const given = [...LOCALLY_OVERRIDDEN.filter((name) => name in fn.environment), ...(route !== undefined && judgesNewPasswords(route) ? BREACH_CHECK : []), ...LOCAL_TUNING];
  for (const name of given) {
    const value = local.runner[name];
    if (value !== undefined) environment[name] = value;
  }
  const functionName = localFunctionName(fn);
  return {
    ...environment,
    // What Lambda sets in every execution environment; the credentials name the function (its "role session").
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: accessKeyIdOf(fn.operationId),
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
    // Local only: every AWS call goes to the local endpoint, which checks it against the function's policy.
    DYNAMODB_ENDPOINT: local.awsEndpoint,
    SES_ENDPOINT: local.awsEndpoint,
  };
}
