// Test support: aws-sdk-client-mock answering at the transport, under the client's own middleware. A plain
// mockClient replaces send() and skips the middleware stack; this routes each call through the real stack (the
// retries, the outcome tracking, the guard that starts nothing after the answer) and lets the mock answer where
// the HTTP request would go out, so the mock sees exactly the attempts that would have reached AWS.
import { AsyncLocalStorage } from 'node:async_hooks';
import { mockClient } from 'aws-sdk-client-mock';
import type { MiddlewareStack } from '@smithy/types';

interface MockableClient {
  send(command: unknown, ...rest: unknown[]): Promise<unknown>;
  middlewareStack: MiddlewareStack<object, object>;
}

export interface TransportMock<Stub> {
  /** The aws-sdk-client-mock stub: set behaviours with `on`, read the attempts with `commandCalls`. */
  readonly transport: Stub;
  /** Forgets every behaviour and call (use instead of `transport.reset()`). */
  reset(): void;
}

/** Mocks an SDK client (DynamoDB's document client, SES...) at its transport; `Stub` is the mockClient type. */
export function mockAtTransport<Stub>(sdkClient: object): TransportMock<Stub> {
  const client = sdkClient as MockableClient;
  const realSend = Object.getPrototypeOf(client).send as (command: unknown, ...rest: unknown[]) => Promise<unknown>;
  const commands = new AsyncLocalStorage<unknown>();
  const mock = { transport: mockClient(client as never) as unknown as Stub };
  const routeThroughStack = () => {
    client.send = (command: unknown, ...rest: unknown[]) => commands.run(command, () => realSend.call(client, command, ...rest));
  };
  routeThroughStack();
  client.middlewareStack.add(
    () => async () => {
      const output = (await (mock.transport as unknown as { send: (command: unknown) => Promise<unknown> }).send.call(client, commands.getStore())) ?? {};
      return { output: { $metadata: {}, ...(output as object) }, response: { statusCode: 200, headers: {}, body: undefined } };
    },
    // Innermost: after the retries and the request-outcome guard, where the HTTP request would be sent.
    { step: 'finalizeRequest', priority: 'low', name: 'testTransport', override: true },
  );
  return {
    get transport() {
      return mock.transport;
    },
    reset() {
      mock.transport = (mock.transport as unknown as { reset(): Stub }).reset();
      routeThroughStack();
    },
  };
}
