// Local runtime: whether the parts the API depends on answer, for `GET /health?ready` and for the watcher of
// `npm start`. Each probe is bounded, so a frozen part reads as down rather than hanging the answer.
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { localClient } from './dynamodb-local';

/** How long one probe may take before its part counts as down. */
export const PROBE_TIMEOUT_MS = 1_500;

/** DynamoDB Local answers ListTables. */
export async function dynamoDbAnswers(endpoint: string): Promise<boolean> {
  const client = localClient(endpoint);
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

/** The SES emulator answers its health check. */
export async function sesAnswers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/health-check`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/** The readiness of the local stack: DynamoDB Local and the SES emulator, probed together. */
export const localReadiness = (endpoints: { dynamoDb: string; ses: string }) => async (): Promise<Record<'dynamodb' | 'ses', boolean>> => {
  const [dynamodb, ses] = await Promise.all([dynamoDbAnswers(endpoints.dynamoDb), sesAnswers(endpoints.ses)]);
  return { dynamodb, ses };
};
