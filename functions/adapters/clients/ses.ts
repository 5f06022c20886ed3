// Adapter: the SES client, built once at module scope; only functions that send email import it. Timeouts and
// retries come from the request's time budget; every send is recorded as a write for the answer.
import { SESClient } from '@aws-sdk/client-ses';
import { endpointConfig } from '../../config';
import { WRITE_COMMANDS, trackRequestOutcomes } from './request-outcome';
import { sdkClientBudget } from './sdk-budget';

const { AWS_REGION, SES_ENDPOINT } = endpointConfig();

export const ses = new SESClient({ region: AWS_REGION, ...sdkClientBudget, ...(SES_ENDPOINT ? { endpoint: SES_ENDPOINT } : {}) });
trackRequestOutcomes(ses.middlewareStack, WRITE_COMMANDS.ses);
