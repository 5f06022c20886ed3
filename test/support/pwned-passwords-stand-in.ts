// Test support: a stand-in for Pwned Passwords' range API on 127.0.0.1 (node:http, a free port), so no test reaches
// the internet. It answers GET /range/{5 hex digits} as the real API does: `SUFFIX:COUNT` lines (35 upper-case hex
// digits, a colon, a count) joined by CRLF in suffix order, text/plain; asked `Add-Padding: true`, it mixes the
// breached suffixes of the prefix with made-up ones of count 0, 800 to 1,000 lines in all. It records every request
// it sees, and can be told to misbehave the ways the adapter must survive.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request as the stand-in saw it. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

/** How the stand-in answers the next requests. */
export type StandInBehaviour =
  /** In the real format. */
  | 'answer'
  /** In the real format, but only after `delayMs`. */
  | 'late'
  /** The headers and the first lines at once, then nothing more. */
  | 'stalled-body'
  /** `status` with a short text body. */
  | 'status'
  /** A 200 of 1 MB in the range format, its length declared. */
  | 'huge'
  /** The same, sent in chunks with no length declared. */
  | 'huge-chunked'
  /** A 200 that is an HTML page (a captive portal). */
  | 'html'
  /** The first connection is closed without an answer; later ones are answered. */
  | 'drop-first';

export interface PwnedPasswordsStandIn {
  /** The base URL to configure, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  /** Every request seen since the last reset. */
  readonly requests: SeenRequest[];
  /** Puts a password in the corpus, `count` times seen (0: listed only as padding would be). */
  breach(password: string, count?: number): void;
  /** From now on, answer this way. */
  behave(behaviour: StandInBehaviour, options?: { delayMs?: number; status?: number }): void;
  /** Forgets the requests seen and answers normally again (the corpus stays). */
  reset(): void;
  stop(): Promise<void>;
}

const sha1 = (text: string): string => createHash('sha1').update(text, 'utf8').digest('hex').toUpperCase();
const paddingSuffix = (): string => randomBytes(18).toString('hex').toUpperCase().slice(0, 35);
// About 1 MB of range lines: no real answer is a quarter of that.
const hugeBody = (): string => Array.from({ length: 27_000 }, () => `${paddingSuffix()}:0`).join('\r\n');

/** Starts a stand-in on a free port of 127.0.0.1. */
export async function startPwnedPasswordsStandIn(): Promise<PwnedPasswordsStandIn> {
  // prefix -> suffix -> count
  const corpus = new Map<string, Map<string, number>>();
  const requests: SeenRequest[] = [];
  let behaviour: StandInBehaviour = 'answer';
  let delayMs = 0;
  let status = 503;
  let dropped = false;
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();

  /** The range answer for a prefix, padded when asked, in suffix order as the real API sorts it. */
  function rangeBody(prefix: string, padded: boolean): string {
    const lines = new Map(corpus.get(prefix) ?? []);
    if (padded) {
      const total = randomInt(800, 1_001);
      while (lines.size < total) lines.set(paddingSuffix(), 0);
    }
    return [...lines]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([suffix, count]) => `${suffix}:${count}`)
      .join('\r\n');
  }

  const text = (response: ServerResponse, code: number, body: string) => {
    response.writeHead(code, { 'content-type': 'text/plain' });
    response.end(body);
  };

  const server = createServer((request, response) => {
    const path = request.url ?? '';
    requests.push({ method: request.method ?? '', path, headers: request.headers });
    if (behaviour === 'drop-first' && !dropped) {
      dropped = true;
      request.socket.destroy();
      return;
    }
    const prefix = /^\/range\/([0-9A-Fa-f]{5})$/.exec(path)?.[1]?.toUpperCase();
    if (request.method !== 'GET' || prefix === undefined) return text(response, 400, 'The hash prefix was not in a valid format');
    const body = rangeBody(prefix, request.headers['add-padding'] === 'true');
    switch (behaviour) {
      case 'late': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          text(response, 200, body);
        }, delayMs);
        timers.add(timer);
        return;
      }
      case 'stalled-body':
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.write(body.slice(0, 400));
        return;
      case 'status':
        return text(response, status, 'Service unavailable');
      case 'huge':
        return text(response, 200, hugeBody());
      case 'huge-chunked': {
        response.writeHead(200, { 'content-type': 'text/plain' });
        const huge = hugeBody();
        for (let at = 0; at < huge.length; at += 16_384) response.write(huge.slice(at, at + 16_384));
        response.end();
        return;
      }
      case 'html':
        return text(response, 200, '<!doctype html><title>Sign in to the hotel wifi</title>');
      default:
        return text(response, 200, body);
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    breach(password, count = 1) {
      const hash = sha1(password);
      const prefix = hash.slice(0, 5);
      const suffixes = corpus.get(prefix) ?? new Map<string, number>();
      suffixes.set(hash.slice(5), count);
      corpus.set(prefix, suffixes);
    },
    behave(next, options = {}) {
      behaviour = next;
      delayMs = options.delayMs ?? 0;
      status = options.status ?? 503;
      dropped = false;
    },
    reset() {
      requests.length = 0;
      behaviour = 'answer';
    },
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
