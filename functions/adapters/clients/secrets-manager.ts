// Adapter: the Secrets Manager client, built once at module scope; only functions that hash passwords import it.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { endpointConfig } from '../../config';

const { AWS_REGION, SECRETS_ENDPOINT } = endpointConfig();

export const secretsManager = new SecretsManagerClient({
  region: AWS_REGION,
  ...(SECRETS_ENDPOINT ? { endpoint: SECRETS_ENDPOINT } : {}),
});
