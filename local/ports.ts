// Local runtime: port checks, so a busy port is one clear line before anything starts.
import { createServer } from 'node:net';
import { LocalStartError } from './local-start-error';

/** Resolves when the port can be listened on at 127.0.0.1; otherwise a LocalStartError naming the variable to set. */
export function assertPortFree(port: number, what: string, variable: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new LocalStartError(
          error.code === 'EADDRINUSE'
            ? `Port ${port} is busy, so ${what} cannot listen there. Stop what uses it or set ${variable} to another port.`
            : `${what} cannot listen on port ${port}: ${error.message}`,
        ),
      ),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

/** A port that is free right now, for tests. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
