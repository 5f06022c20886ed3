// Test support: the local API and the directory's ports on the shared DynamoDB Local for one test file, started
// before its tests and stopped after them. `started` receives the API so the file can keep its own `api` variable.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DirectoryStores } from '../../functions/adapters/dynamodb/directory-stores';
import { startApi, type ApiClient } from './api-client';
import { documentClient, testDirectory } from './companies';
import { SETUP_TIMEOUT_MS } from './timeouts';

export interface LocalStackOptions {
  /** Receives the started API. */
  readonly started: (api: ApiClient) => void;
  /** Emailed links point at this server (the handler modules read PUBLIC_BASE_URL when they first load, after the start). */
  readonly linksToThisServer?: boolean;
}

export function useLocalStack(options: LocalStackOptions): { readonly client: DynamoDBDocumentClient; readonly directory: DirectoryStores } {
  const client = documentClient();
  let api: ApiClient | undefined;
  beforeAll(async () => {
    api = await startApi();
    if (options.linksToThisServer) process.env.PUBLIC_BASE_URL = api.url;
    options.started(api);
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await api?.stop();
    client.destroy();
  });
  return { client, directory: testDirectory(client) };
}
