// HTTP adapter: the one structured logger (Powertools). Nothing logs request bodies, tokens or hashes; JSON output
// escapes control characters, so a crafted name cannot forge a log line.
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: 'adminpass' });
