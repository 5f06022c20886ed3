// Entry point of `npm start`: the whole service on this machine. `npm start -- --fresh` starts from empty data.
import { join } from 'node:path';
import { DomainError } from '../functions/domain/errors';
import { LocalStartError } from '../local/local-start-error';
import { assertPortFree } from '../local/ports';
import { DEMO, startLocalStack } from '../local/local-stack';

const USAGE = 'usage: npm start [-- --fresh]   (ports: PORT, DYNAMODB_PORT, SES_PORT; demo password: DEMO_MASTER_PASSWORD)';

function port(variable: string, fallback: number): number {
  const raw = process.env[variable];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65_535) throw new LocalStartError(`${variable} must be a port number from 1 to 65535, not "${raw}".`);
  return value;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unknown = args.filter((arg) => arg !== '--fresh');
  if (unknown.length > 0) {
    console.error(`unknown argument: ${unknown.join(' ')}\n${USAGE}`);
    process.exit(2);
  }
  const apiPort = port('PORT', 3000);
  await assertPortFree(apiPort, 'the API', 'PORT');
  let stopping = false;
  let stack: Awaited<ReturnType<typeof startLocalStack>> | undefined;
  // A part that dies leaves an API that answers 500 to everything: say so in one line and stop, non-zero.
  const partDied = (line: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`adminpass stopped: ${line}`);
    const exit = () => process.exit(1);
    (stack?.stop() ?? Promise.resolve()).then(exit, exit);
  };
  stack = await startLocalStack({
    apiPort,
    dynamoDbPort: port('DYNAMODB_PORT', 8000),
    sesPort: port('SES_PORT', 8005),
    stateDir: join(import.meta.dirname, '..', '.local'),
    fresh: args.includes('--fresh'),
    ...(process.env.DEMO_MASTER_PASSWORD ? { demoMasterPassword: process.env.DEMO_MASTER_PASSWORD } : {}),
    log: (line) => console.log(line),
    onPartDied: partDied,
  });
  console.log(`adminpass is running.
  Console:      ${stack.apiUrl}/
  API:          ${stack.apiUrl}   (try ${stack.apiUrl}/health, ${stack.apiUrl}/health?ready and ${stack.apiUrl}/openapi.json)
  Email inbox:  ${stack.sesUrl}
  Sign in:      company "${DEMO.companyId}", email ${DEMO.masterEmail}
Press Ctrl-C to stop.`);

  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    console.log('Stopping…');
    stack.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  // Expected start failures are one actionable line; anything else is a bug worth its stack.
  if (error instanceof LocalStartError) console.error(`adminpass could not start: ${error.message}`);
  else if (error instanceof DomainError) {
    const reasons = (error.details ?? []).map((detail) => detail.message).join(' ');
    console.error(`adminpass could not start: DEMO_MASTER_PASSWORD is refused. ${error.message} ${reasons}`.trim());
  }
  else console.error(error);
  process.exit(1);
});
