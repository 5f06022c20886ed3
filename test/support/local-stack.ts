// Test support: the local API and the directory's ports on the shared DynamoDB Local for one test file, started
// before its tests and stopped after them. `started` receives the API so the file can keep its own `api` variable.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DirectoryStores } from '../../functions/adapters/dynamodb/directory-stores';
import { startApi, type ApiClient, type TestApiOptions } from './api-client';
import { documentClient, testDirectory } from './companies';
import { SETUP_TIMEOUT_MS } from './timeouts';

export interface LocalStackOptions {
  /** Receives the started API. */
  readonly started: (api: ApiClient) => void;
  /** What the file sets of its server (a fault, a log reader); emailed links always point at the server itself. */
  readonly server?: TestApiOptions;
}

export function useLocalStack(options: LocalStackOptions): { readonly client: DynamoDBDocumentClient; readonly directory: DirectoryStores } {
  const client = documentClient();
  let api: ApiClient | undefined;
  beforeAll(async () => {
    api = await startApi(options.server);
    options.started(api);
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await api?.stop();
    client.destroy();
  });
  return { client, directory: testDirectory(client) };
}
