// Adapter: the Secrets Manager client, built once at module scope; only functions that hash passwords import it.
// It only reads, but it keeps the same time budget and starts nothing after the invocation answered.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { endpointConfig } from '../../config';
import { WRITE_COMMANDS, trackRequestOutcomes } from './request-outcome';
import { sdkClientBudget } from './sdk-budget';

const { AWS_REGION, SECRETS_ENDPOINT } = endpointConfig();

export const secretsManager = new SecretsManagerClient({
  region: AWS_REGION,
  ...sdkClientBudget,
  ...(SECRETS_ENDPOINT ? { endpoint: SECRETS_ENDPOINT } : {}),
});
trackRequestOutcomes(secretsManager.middlewareStack, WRITE_COMMANDS.none);
