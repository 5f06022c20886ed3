// Test support: a small HTTP client for the local API server, and a running server for a test file.
import { startApiServer, type ApiServer } from '../../local/api-server';

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: any;
}

export interface ApiClient {
  readonly url: string;
  request(method: string, path: string, options?: { body?: unknown; token?: string; headers?: Record<string, string>; raw?: string }): Promise<ApiResponse>;
  stop(): Promise<void>;
}

/** Starts the local API server (the real handler modules) on a free port. */
export async function startApi(): Promise<ApiClient> {
  const server: ApiServer = await startApiServer({ port: 0 });
  return {
    url: server.url,
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let body: string | undefined;
      if (options.raw !== undefined) body = options.raw;
      else if (options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      }
      const response = await fetch(server.url + path, { method, headers, ...(body === undefined ? {} : { body }) });
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      return { status: response.status, headers: response.headers, text, body: parsed };
    },
    stop: () => server.stop(),
  };
}
