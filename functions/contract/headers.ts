// Contract: the HTTP headers of the API that carry meaning, as zod schemas the OpenAPI document declares, each written
// once here. Response headers a route's success answer carries are named in its route table entry (`headers`); the
// rest follow from the route's other fields (functions/contract/openapi.ts says which).
import * as z from 'zod';
import { IDEMPOTENCY_KEY_DESCRIPTION, IDEMPOTENCY_KEY_PATTERN } from './idempotency-key';

/** The response headers a route table entry may name for a success answer. */
export type ResponseHeaderName = 'ETag' | 'Location';

/** A strong ETag: the resource's version number in quotes (functions/domain/admin.ts, etagOf). */
export const ETagHeader = z
  .string()
  .regex(/^"\d{1,15}"$/)
  .meta({ header: { id: 'ETag' }, description: 'The version of the resource, for the If-Match of a later change.', example: '"3"' });

export const LocationHeader = z
  .string()
  .regex(/^\/[^\s]*$/)
  .meta({ header: { id: 'Location' }, description: "Where the new resource is read, relative to the API's base URL.", example: '/admins/01JD6S2Z9K1V3M8Q4T7W0XYZAB' });

export const RESPONSE_HEADERS: Readonly<Record<ResponseHeaderName, z.ZodType>> = { ETag: ETagHeader, Location: LocationHeader };

/** RFC 9110 10.2.3, as delay-seconds: this API always sends a whole number of seconds, at least 1. */
export const RetryAfterHeader = z
  .string()
  .regex(/^[1-9]\d*$/)
  .meta({
    header: { id: 'RetryAfter' },
    description:
      'Seconds to wait before the same request may succeed. Sent with 503 SERVICE_BUSY and OUTCOME_UNKNOWN, 429 TOO_MANY_RESETS and ' +
      "TOO_MANY_ATTEMPTS, and 409 IDEMPOTENCY_IN_PROGRESS; not with the gateway's own 429 TOO_MANY_REQUESTS.",
    example: '5',
  });

/** RFC 6750 3: a 401 of a session route names the scheme to authenticate with. */
export const WwwAuthenticateHeader = z
  .literal('Bearer')
  .meta({ header: { id: 'WWWAuthenticate' }, description: 'The scheme to authenticate with: a session token from POST /sign-in.' });

export const IdempotentReplayedHeader = z
  .literal('true')
  .meta({ header: { id: 'IdempotentReplayed' }, description: 'Present when this answer is the replay of a first request with the same Idempotency-Key.' });

/** Sent with 405: the methods the path offers (RFC 9110 10.2.1). */
export const AllowHeader = z
  .string()
  .regex(/^[A-Z]+(, [A-Z]+)*$/)
  .meta({ header: { id: 'Allow' }, description: 'The methods this path offers.', example: 'GET, PATCH, DELETE' });

/** The request header of a route that refuses a change without the version it was read at. */
export const IfMatchHeader = z
  .string()
  .min(1)
  .meta({
    param: { id: 'IfMatch' },
    description: 'The ETag of the version you read. Without it the answer is 428; with a version that is no longer current, 412 and nothing changes.',
    example: '"3"',
  });

/** The optional request header every `idempotency: 'key'` route accepts. */
export const IdempotencyKeyHeader = z
  .string()
  .min(1)
  .max(128)
  .regex(IDEMPOTENCY_KEY_PATTERN)
  .optional()
  .meta({ param: { id: 'IdempotencyKey' }, description: IDEMPOTENCY_KEY_DESCRIPTION, example: '5f0c2a7e-3c1b-4d9a-9a57-1e2f3a4b5c6d' });
