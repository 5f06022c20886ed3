// Tests of the checker the integration tests hold every answer of the local API to (test/support/contract.ts): it
// must refuse what the OpenAPI document does not declare, or passing integration tests would prove nothing.
import { ADMIN_EXAMPLE } from '../../functions/contract/schemas';
import { SECURITY_HEADERS } from '../../functions/http/responses';
import { contractChecker, type ObservedAnswer } from '../support/contract';

const checker = contractChecker();
const ADMIN_ID = ADMIN_EXAMPLE.adminId;
const json = { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8' };
const admin = ADMIN_EXAMPLE;
const answer = (overrides: Partial<ObservedAnswer>): ObservedAnswer => ({
  method: 'GET',
  path: `/admins/${ADMIN_ID}`,
  status: 200,
  headers: { ...json, ETag: '"1"' },
  body: JSON.stringify(admin),
  ...overrides,
});
const error = (code: string) => JSON.stringify({ error: { code, message: 'A sentence.' } });

describe('when an answer is what the document declares', () => {
  it.each([
    ['an admin with its ETag', answer({})],
    ['204 without a body', answer({ method: 'POST', path: `/admins/${ADMIN_ID}/unlock`, status: 204, headers: SECURITY_HEADERS, body: '' })],
    ['401 UNAUTHENTICATED with WWW-Authenticate', answer({ path: '/me', status: 401, headers: { ...json, 'WWW-Authenticate': 'Bearer' }, body: error('UNAUTHENTICATED') })],
    ['404 for a path no operation has', answer({ path: '/nothing', status: 404, headers: json, body: error('ROUTE_NOT_FOUND') })],
    ['405 with the path\'s methods in Allow', answer({ method: 'PUT', path: '/admins', status: 405, headers: { ...json, Allow: 'GET, POST' }, body: error('METHOD_NOT_ALLOWED') })],
    ["the gateway's 502 for a failed function, held to the operation's default", answer({ path: '/me', status: 502, headers: json, body: error('OUTCOME_UNKNOWN') })],
  ])('finds nothing wrong with %s', (_case, observed) => {
    expect(checker.check(observed)).toEqual([]);
  });
});

describe('when an answer is not what the document declares', () => {
  it.each([
    ['a status the operation does not declare', answer({ status: 418 }), /418, a status the document does not declare/],
    ["a 5xx the operation does not list, with a function's code rather than the gateway's", answer({ path: '/me', status: 502, headers: json, body: error('INTERNAL') }), /body\/error\/code must be equal to one of the allowed values/],
    ['a required header missing', answer({ headers: json }), /lacks the header ETag/],
    ['a malformed declared header', answer({ headers: { ...json, ETag: 'W/"1"' } }), /header ETag/],
    ['a header the document does not know', answer({ headers: { ...json, ETag: '"1"', 'X-Debug': '1' } }), /sends the header x-debug/],
    ['a field the schema does not have', answer({ body: JSON.stringify({ ...admin, passwordHash: 'x' }) }), /additional properties/],
    ['a field missing', answer({ body: JSON.stringify({ ...admin, email: undefined }) }), /required property 'email'/],
    ['a code the status does not carry on this route', answer({ path: '/me', status: 401, headers: { ...json, 'WWW-Authenticate': 'Bearer' }, body: error('INVALID_CREDENTIALS') }), /body\/error\/code must be equal to one of the allowed values/],
    ['another media type', answer({ headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain', ETag: '"1"' } }), /is text\/plain/],
    ['a body on 204', answer({ method: 'POST', path: `/admins/${ADMIN_ID}/unlock`, status: 204, headers: SECURITY_HEADERS, body: '{}' }), /has a body/],
    ['anything but 404 for a path no operation has', answer({ path: '/nothing', status: 200, headers: json, body: '{}' }), /must get 404/],
    ['an Allow other than the path\'s methods', answer({ method: 'PUT', path: '/admins', status: 405, headers: { ...json, Allow: 'GET' }, body: error('METHOD_NOT_ALLOWED') }), /Allow is GET/],
  ])('reports %s', (_case, observed, problem) => {
    expect(checker.check(observed)).toEqual(expect.arrayContaining([expect.stringMatching(problem)]));
  });
});
