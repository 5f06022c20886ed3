// HTTP adapter: the one structured logger (Powertools). Nothing logs request bodies, tokens or hashes; JSON output
// escapes control characters, so a crafted name cannot forge a log line.
import { Logger } from '@aws-lambda-powertools/logger';
import { SERVICE_NAME } from './metric-names';

export const logger = new Logger({ serviceName: SERVICE_NAME });
