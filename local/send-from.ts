// Local tooling: one HTTP request sent from a chosen local address. fetch cannot choose it; node:http can. The tests
// and `npm run bursts` use it to be several clients by address (127.0.0.2 and up reach a server on 127.0.0.1).
import { request as httpRequest } from 'node:http';

export interface SentFrom {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

export function sendFrom(
  localAddress: string,
  url: string,
  init: { readonly method: string; readonly headers: Record<string, string>; readonly body?: string | undefined; readonly signal?: AbortSignal },
): Promise<SentFrom> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: init.method, headers: init.headers, localAddress, ...(init.signal === undefined ? {} : { signal: init.signal }) }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
        resolve({ status: response.statusCode ?? 0, headers, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    request.on('error', reject);
    request.end(init.body);
  });
}
