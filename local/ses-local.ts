// Local runtime: the SES emulator aws-ses-v2-local, in this process. Its web inbox at its root shows every email.
import * as sesEmulator from 'aws-ses-v2-local';
import type { Server } from 'node:http';
import { LocalStartError } from './local-start-error';
import { assertPortFree } from './ports';

type StartServer = (config: { host: string; port: number }) => Promise<Server>;

// The package is CommonJS with an `exports.default`; seen from ESM the function sits one `default` deeper.
const startServer = ((sesEmulator as unknown as { default: { default?: StartServer } }).default.default ??
  (sesEmulator as unknown as { default: StartServer }).default) as StartServer;

export interface SesLocal {
  readonly endpoint: string;
  /** Calls `listener` once if the emulator's server closes without `stop()`. */
  onUnexpectedExit(listener: (how: string) => void): void;
  stop(): Promise<void>;
}

export async function startSesLocal(options: { port: number }): Promise<SesLocal> {
  const host = '127.0.0.1';
  await assertPortFree(options.port, 'the SES emulator', 'SES_PORT');
  const server = await startServer({ host, port: options.port });
  if (!server.listening) throw new LocalStartError(`The SES emulator could not listen on port ${options.port}.`);
  let stopping = false;
  const listeners = new Set<(how: string) => void>();
  server.once('close', () => {
    if (!stopping) for (const listener of listeners) listener('its server closed');
  });
  return {
    endpoint: `http://${host}:${options.port}`,
    onUnexpectedExit: (listener) => listeners.add(listener),
    stop: () => {
      stopping = true;
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
