// Starts the real parts the integration tests use, once per test run: DynamoDB Local (in memory) and the SES
// emulator, on free ports. Test workers inherit the endpoints and table names through the environment.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSourcePageAssets } from '../../local/console-build';
import { loadSynthesizedTemplate } from '../../local/synthesized-template';
import { loadFunctionBundles } from '../../local/function-bundles';
import { createTables, localTableNames, startDynamoDbLocal } from '../../local/dynamodb-local';
import { freePort } from '../../local/ports';
import { startSesLocal } from '../../local/ses-local';

declare global {
  var adminpassTestStack: { stop(): Promise<void> } | undefined;
}

export default async function globalSetup(): Promise<void> {
  // The handlers of the pages of console/ (GET /, GET /password-reset) read their assets at their cold start.
  await buildSourcePageAssets();
  // What deploys, once per run for every local API server of the run: the synthesized template (each function's
  // environment and IAM policy, the API's routes and models) and each function's bundle, both cached by the hash of
  // their sources. A route that forgets a table, a grant or a variable fails its tests.
  const templateFile = join(tmpdir(), `adminpass-template-${process.pid}.json`);
  writeFileSync(templateFile, JSON.stringify(await loadSynthesizedTemplate()));
  process.env.ADMINPASS_TEMPLATE = templateFile;
  process.env.ADMINPASS_BUNDLES = (await loadFunctionBundles()).dir;
  const dynamoDb = await startDynamoDbLocal({ port: await freePort() });
  let ses: Awaited<ReturnType<typeof startSesLocal>>;
  const names = localTableNames('adminpass-test');
  try {
    ses = await startSesLocal({ port: await freePort() });
    await createTables(dynamoDb.endpoint, names);
  } catch (error) {
    await dynamoDb.stop();
    throw error;
  }
  Object.assign(process.env, {
    DYNAMODB_ENDPOINT: dynamoDb.endpoint,
    SES_ENDPOINT: ses.endpoint,
    DIRECTORY_TABLE: names.directory,
    SESSIONS_TABLE: names.sessions,
    TOKENS_TABLE: names.tokens,
    AUDIT_TABLE: names.audit,
    IDEMPOTENCY_TABLE: names.idempotency,
    // Each started API appends how many answers it held to the OpenAPI document; the teardown sums them.
    CONTRACT_REPORT_FILE: join(mkdtempSync(join(tmpdir(), 'adminpass-contract-')), 'answers.jsonl'),
  });
  globalThis.adminpassTestStack = {
    stop: async () => {
      await ses.stop();
      await dynamoDb.stop();
    },
  };
}
