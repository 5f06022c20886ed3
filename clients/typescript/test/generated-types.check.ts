// Type-level checks, compiled by `npm run typecheck` and by test/contract/openapi-tools.test.ts (tsc on this
// package): the types openapi-typescript generated from the served document describe what the server's zod schemas
// say, for a few operations, and a resource read can be written back. A mismatch is a compile error.
import type { z } from 'zod';
import type * as schemas from '../../../functions/contract/schemas';
import type { components, operations } from '../src/schema';
import type { ErrorCodeOf } from '../src/index';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Fits<From, To> = [From] extends [To] ? true : false;
const same = <A, B>(proof: Same<A, B>): Same<A, B> => proof;
const fits = <From, To>(proof: Fits<From, To>): Fits<From, To> => proof;
type Json<Response> = Response extends { content: { 'application/json': infer Body } } ? Body : never;
type Body<Id extends keyof operations> = operations[Id] extends { requestBody: { content: { 'application/json': infer Request } } } ? Request : never;

// Bodies: the generated types are the server's schemas.
same<components['schemas']['Admin'], z.output<typeof schemas.Admin>>(true);
same<Json<operations['signIn']['responses'][200]>, z.output<typeof schemas.SignInResponse>>(true);
same<Json<operations['getPasswordPolicy']['responses'][200]>, z.output<typeof schemas.CompanyPasswordPolicy>>(true);
same<Json<operations['listAuditEvents']['responses'][200]>, z.output<typeof schemas.AuditEventList>>(true);
same<Body<'createAdmin'>, z.input<typeof schemas.CreateAdminRequest>>(true);
same<Body<'updateAdmin'>, z.input<typeof schemas.UpdateAdminRequest>>(true);
same<Body<'updatePasswordPolicy'>, z.input<typeof schemas.PasswordPolicyUpdate>>(true);

// Headers: If-Match is required on PATCH, Idempotency-Key optional; ETag and Location come back.
same<operations['updateAdmin']['parameters']['header']['If-Match'], string>(true);
same<operations['updateAdmin']['parameters']['header']['Idempotency-Key'], string | undefined>(true);
same<operations['getAdmin']['responses'][200]['headers']['ETag'], string>(true);
same<operations['createAdmin']['responses'][201]['headers']['Location'], string>(true);
same<operations['getMe']['responses'][401]['headers']['WWW-Authenticate'], 'Bearer'>(true);

// Error codes: an enum per status, and per operation.
same<Json<operations['getAdmin']['responses'][404]>['error']['code'], 'ADMIN_NOT_FOUND'>(true);
same<Json<operations['signIn']['responses'][401]>['error']['code'], 'INVALID_CREDENTIALS'>(true);
fits<'PRECONDITION_REQUIRED' | 'PRECONDITION_FAILED' | 'EMAIL_TAKEN' | 'LAST_MASTER', ErrorCodeOf<'updateAdmin'>>(true);
fits<'FORBIDDEN', ErrorCodeOf<'signIn'>>(false);

// Round trips: what GET shows is a body PUT and PATCH take.
fits<components['schemas']['Admin'], Body<'updateAdmin'>>(true);
fits<components['schemas']['CompanyPasswordPolicy']['policy'], Body<'updatePasswordPolicy'>>(true);
