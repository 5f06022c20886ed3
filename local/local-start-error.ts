// Local runtime: a failure to start the local stack that a person can act on; printed as one line, no stack.
export class LocalStartError extends Error {
  override readonly name = 'LocalStartError';
}
