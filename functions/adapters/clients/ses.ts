// Adapter: the SES client, built once at module scope; only functions that send email import it.
import { SESClient } from '@aws-sdk/client-ses';
import { endpointConfig } from '../../config';

const { AWS_REGION, SES_ENDPOINT } = endpointConfig();

export const ses = new SESClient({ region: AWS_REGION, ...(SES_ENDPOINT ? { endpoint: SES_ENDPOINT } : {}) });
