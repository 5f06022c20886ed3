// End to end over HTTP with the breached-password check turned on as a deployment turns it on (PWNED_PASSWORDS_URL,
// read by the handlers' wiring when they load), pointed at a stand-in of the Pwned Passwords range API on 127.0.0.1:
// the real handlers refuse a breached password, send the API nothing but prefixes, and accept the password with a
// warning when the API does not answer in time.
import { sha1Hex } from '../../functions/adapters/pwned-passwords/pwned-passwords';
import { BREACH_CHECK_UNAVAILABLE } from '../../functions/wiring/breached-passwords';
import type { ApiClient } from '../support/api-client';
import { provisionTestCompany } from '../support/companies';
import { useLocalStack } from '../support/local-stack';
import { startPwnedPasswordsStandIn, type PwnedPasswordsStandIn } from '../support/pwned-passwords-stand-in';
import { MASTER_PASSWORD, signInMaster } from '../support/scenario';

// Passes every other rule of the default policy; the stand-in's corpus holds it.
const BREACHED = 'tangerine lighthouse winter 1987';

let api: ApiClient;
/** The lines the functions log at WARN and above. */
const logged: string[] = [];
const runner: Record<string, string | undefined> = { ...process.env, POWERTOOLS_LOG_LEVEL: 'WARN' };
const { directory } = useLocalStack({ started: (started) => (api = started), server: { runnerEnvironment: runner, onFunctionLog: (_operationId, line) => logged.push(line) } });
let standIn: PwnedPasswordsStandIn;

beforeAll(async () => {
  standIn = await startPwnedPasswordsStandIn();
  standIn.breach(BREACHED, 52_256);
  // Before the first request: a function's worker takes its environment when it starts. The timeout stays the
  // default, 1500 ms.
  runner.PWNED_PASSWORDS_URL = standIn.url;
});
afterAll(async () => {
  await standIn.stop();
});
beforeEach(() => {
  standIn.reset();
  logged.length = 0;
});

const codesOf = (body: { error?: { details?: { code: string; field?: string }[] } }) => body.error?.details?.map(({ code, field }) => ({ code, field }));

describe('when a breached password is set over HTTP', () => {
  it('refuses it as the answer to the new-password challenge with 422 BREACHED_PASSWORD', async () => {
    // Prepare
    const company = await provisionTestCompany(directory);
    const challenge = await api.request('POST', '/sign-in', {
      body: { companyId: company.companyId, email: company.masterEmail, password: company.masterTemporaryPassword },
    });

    // Act
    const response = await api.request('POST', '/sign-in/new-password', { body: { challengeToken: challenge.body.challengeToken, newPassword: BREACHED } });

    // Assess
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('PASSWORD_POLICY_VIOLATION');
    expect(codesOf(response.body)).toEqual([{ code: 'BREACHED_PASSWORD', field: 'newPassword' }]);
  });

  it('refuses it as an own change, and takes a password the corpus does not hold; the API saw only prefixes', async () => {
    // Prepare
    const company = await provisionTestCompany(directory);
    const master = await signInMaster(api, company);
    standIn.reset();

    // Act
    const refused = await api.request('PUT', '/me/password', { token: master.token, body: { currentPassword: MASTER_PASSWORD, newPassword: BREACHED } });
    const accepted = await api.request('PUT', '/me/password', {
      token: master.token,
      body: { currentPassword: MASTER_PASSWORD, newPassword: 'marmalade orbit fennel quietly' },
    });

    // Assess
    expect(refused.status).toBe(422);
    expect(codesOf(refused.body)).toEqual([{ code: 'BREACHED_PASSWORD', field: 'newPassword' }]);
    expect(accepted.status).toBe(204);
    expect(standIn.requests.map((request) => request.path)).toEqual([
      `/range/${sha1Hex(BREACHED).slice(0, 5)}`,
      `/range/${sha1Hex('marmalade orbit fennel quietly').slice(0, 5)}`,
    ]);
  });
});

describe('when the API does not answer in time', () => {
  it('accepts the password (fail-open) after the timeout, and the function logs a warning without a secret', async () => {
    // Prepare
    const company = await provisionTestCompany(directory);
    const master = await signInMaster(api, company);
    standIn.behave('late', { delayMs: 5_000 });

    // Act
    const started = performance.now();
    const response = await api.request('PUT', '/me/password', { token: master.token, body: { currentPassword: MASTER_PASSWORD, newPassword: BREACHED } });
    const elapsed = performance.now() - started;

    // Assess
    expect(response.status).toBe(204);
    expect(elapsed).toBeGreaterThanOrEqual(1_500);
    const warnings = logged.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.message === BREACH_CHECK_UNAVAILABLE);
    expect(warnings).toEqual([expect.objectContaining({ level: 'WARN', reason: 'timeout', elapsedMs: expect.any(Number), timeoutMs: 1_500 })]);
    const hash = sha1Hex(BREACHED);
    for (const secret of [BREACHED, hash, hash.slice(0, 5), hash.slice(5)]) expect(logged.join('\n')).not.toContain(secret);
  });
});
