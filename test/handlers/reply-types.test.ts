// Compile-time tests of the replies a handler may return (ReplyOf, functions/http/responses.ts): what the route table
// declares compiles, and each `@ts-expect-error` below is a reply that must not (`npm run typecheck` fails if one of
// them ever compiles). The runtime assertions only keep jest's count honest.
import type { z } from 'zod';
import { routes } from '../../functions/contract/routes';
import { ADMIN_EXAMPLE, type Admin } from '../../functions/contract/schemas';
import { accepted, created, noContent, ok, page, type ReplyOf } from '../../functions/http/responses';

const admin: z.output<typeof Admin> = ADMIN_EXAMPLE;
const etag = { ETag: '"1"' };

describe('when a handler answers what its route declares', () => {
  it('compiles a body of the declared schema with the declared headers, a 204, and a page', () => {
    const read: ReplyOf<typeof routes.getAdmin> = ok(admin, etag);
    const registered: ReplyOf<typeof routes.createAdmin> = created(admin, { ...etag, Location: '/admins/x' });
    const signedOut: ReplyOf<typeof routes.signOut> = noContent();
    const screen: ReplyOf<typeof routes.passwordChangeScreen> = page('<!doctype html>', { 'Content-Security-Policy': "default-src 'none'" });

    expect([read.statusCode, registered.statusCode, signedOut.statusCode, screen.statusCode]).toEqual([200, 201, 204, 200]);
  });
});

describe('when a handler answers what its route does not declare', () => {
  it('does not compile', () => {
    // @ts-expect-error GET /admins/{adminId} declares ETag: a reply without it does not compile.
    const withoutEtag: ReplyOf<typeof routes.getAdmin> = ok(admin);
    // @ts-expect-error POST /admins declares Location too.
    const withoutLocation: ReplyOf<typeof routes.createAdmin> = created(admin, etag);
    // @ts-expect-error a status the route does not declare (GET /admins/{adminId} answers 200, not 201).
    const wrongStatus: ReplyOf<typeof routes.getAdmin> = created(admin, etag);
    // @ts-expect-error a body its schema does not describe.
    const wrongBody: ReplyOf<typeof routes.getMe> = ok({ adminId: 'x' });
    // @ts-expect-error a body on a route that answers 204.
    const bodyOnNoContent: ReplyOf<typeof routes.signOut> = ok({});
    // @ts-expect-error POST /admins/{adminId}/password-reset answers 202 {sentTo, expiresAt}, not an admin.
    const otherSchema: ReplyOf<typeof routes.requestPasswordReset> = accepted(admin);
    // @ts-expect-error a JSON body where the route serves a page.
    const jsonForPage: ReplyOf<typeof routes.passwordChangeScreen> = ok({ html: '' });

    expect([withoutEtag, withoutLocation, wrongStatus, wrongBody, bodyOnNoContent, otherSchema, jsonForPage]).toHaveLength(7);
  });
});
