// The breached-password adapter (functions/adapters/pwned-passwords/) against a stand-in of Pwned Passwords' range API
// on 127.0.0.1: what it sends (5 hex digits of the SHA-1, padding asked, a user agent, nothing else), how it reads
// the range format, and how every failure becomes an `unavailable` verdict within the timeout; and its configuration,
// off by default. No test reaches the internet.
import {
  BREACH_LOOKUP_USER_AGENT,
  MAX_RANGE_ANSWER_BYTES,
  createPwnedPasswords,
  sha1Hex,
  timesSeen,
} from '../../functions/adapters/pwned-passwords/pwned-passwords';
import { BreachCheckEnvironment, breachCheckConfig } from '../../functions/config';
import { breachedPasswords, breachedPasswordsFor } from '../../functions/wiring/breached-passwords';
import { startPwnedPasswordsStandIn, type PwnedPasswordsStandIn } from '../support/pwned-passwords-stand-in';

const BREACHED = 'P@ssw0rd-from-the-2019-leak';
const UNKNOWN = 'a passphrase no breach ever held 7c1d';
// Generous where an answer is expected (two busy cores), short where the test waits for the timeout.
const TIMEOUT_MS = 2_000;
const SHORT_TIMEOUT_MS = 300;

let standIn: PwnedPasswordsStandIn;
beforeAll(async () => {
  standIn = await startPwnedPasswordsStandIn();
  standIn.breach(BREACHED, 1_234);
});
afterAll(async () => {
  await standIn.stop();
});
beforeEach(() => {
  standIn.reset();
});

const judge = (timeoutMs = TIMEOUT_MS) => createPwnedPasswords({ baseUrl: standIn.url, timeoutMs });

describe('when the SHA-1 is computed', () => {
  it('is the upper-case hex SHA-1 of the UTF-8 bytes, as the corpus keys it', () => {
    expect(sha1Hex('password')).toBe('5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8');
    expect(sha1Hex('café')).toBe('F424452A9673918C6F09B0CDD35B20BE8E6AE7D7');
  });
});

describe('when a password is looked up', () => {
  it('finds a breached one with the count the range gives it', async () => {
    // Act
    const verdict = await judge().check(BREACHED);

    // Assess
    expect(verdict).toEqual({ kind: 'breached', count: 1_234 });
  });

  it('answers not-found for one the range does not hold', async () => {
    // Act
    const verdict = await judge().check(UNKNOWN);

    // Assess
    expect(verdict).toEqual({ kind: 'not-found' });
  });

  it('sends only the first 5 hex digits of the SHA-1: no request holds the rest of the hash or the password', async () => {
    // Prepare
    const hash = sha1Hex(BREACHED);

    // Act
    await judge().check(BREACHED);

    // Assess
    expect(standIn.requests.map((request) => `${request.method} ${request.path}`)).toEqual([`GET /range/${hash.slice(0, 5)}`]);
    const everything = JSON.stringify(standIn.requests);
    expect(everything).not.toContain(hash.slice(5));
    expect(everything).not.toContain(hash.slice(5).toLowerCase());
    expect(everything).not.toContain(BREACHED);
    expect(everything).not.toContain(encodeURIComponent(BREACHED));
  });

  it('asks for padding and names itself', async () => {
    // Act
    await judge().check(UNKNOWN);

    // Assess
    expect(standIn.requests[0]?.headers).toMatchObject({ 'add-padding': 'true', 'user-agent': BREACH_LOOKUP_USER_AGENT });
  });

  it('ignores a padding line of its own suffix (count 0): not breached', async () => {
    // Prepare
    const listedAsPadding = 'listed only as padding 0e2b';
    standIn.breach(listedAsPadding, 0);

    // Act
    const verdict = await judge().check(listedAsPadding);

    // Assess
    expect(verdict).toEqual({ kind: 'not-found' });
  });

  it('answers the same for the same password whatever padding surrounds it', async () => {
    // Act
    const verdicts = [];
    for (let i = 0; i < 5; i += 1) verdicts.push(await judge().check(BREACHED));

    // Assess
    expect(new Set(verdicts.map((verdict) => JSON.stringify(verdict)))).toEqual(new Set([JSON.stringify({ kind: 'breached', count: 1_234 })]));
  });
});

describe('when the range answer is read', () => {
  const suffix = sha1Hex(BREACHED).slice(5);

  it.each([
    ['CRLF between lines', `0000000000000000000000000000000000A:3\r\n${suffix}:42\r\nFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0`, 42],
    ['LF between lines and a final line break', `${suffix}:7\n`, 7],
    ['the suffix in lower case', `${suffix.toLowerCase()}:5`, 5],
    ['the suffix only as padding', `${suffix}:0\r\n0000000000000000000000000000000000A:0`, 0],
    ['the suffix absent', '0000000000000000000000000000000000A:12', 0],
  ])('reads %s', (_label, body, expected) => {
    expect(timesSeen(body, suffix)).toBe(expected);
  });

  it('says it cannot tell when no line has the range format', () => {
    expect(timesSeen('<html>Sign in</html>', suffix)).toBeUndefined();
    expect(timesSeen('', suffix)).toBeUndefined();
  });
});

describe('when the API does not answer in time', () => {
  it('gives up at the timeout as unavailable (timeout)', async () => {
    // Prepare
    standIn.behave('late', { delayMs: 5_000 });

    // Act
    const started = performance.now();
    const verdict = await judge(SHORT_TIMEOUT_MS).check(BREACHED);
    const elapsed = performance.now() - started;

    // Assess
    expect(verdict).toMatchObject({ kind: 'unavailable', reason: 'timeout' });
    expect(elapsed).toBeGreaterThanOrEqual(SHORT_TIMEOUT_MS - 20);
    expect(elapsed).toBeLessThan(SHORT_TIMEOUT_MS + 1_000);
  });

  it('gives up at the timeout when the body stops half-way', async () => {
    // Prepare
    standIn.behave('stalled-body');

    // Act
    const started = performance.now();
    const verdict = await judge(SHORT_TIMEOUT_MS).check(BREACHED);

    // Assess
    expect(verdict).toMatchObject({ kind: 'unavailable', reason: 'timeout' });
    expect(performance.now() - started).toBeLessThan(SHORT_TIMEOUT_MS + 1_000);
  });
});

describe('when the API answers something else than the range', () => {
  it.each([503, 429, 404, 500])('is unavailable for status %i, naming it', async (status) => {
    // Prepare
    standIn.behave('status', { status });

    // Act
    const verdict = await judge().check(BREACHED);

    // Assess
    expect(verdict).toMatchObject({ kind: 'unavailable', reason: 'status', status });
  });

  it.each(['huge', 'huge-chunked'] as const)(`stops reading past ${MAX_RANGE_ANSWER_BYTES / 1024} KB: unavailable (too-large), %s`, async (behaviour) => {
    // Prepare
    standIn.behave(behaviour);

    // Act
    const verdict = await judge().check(BREACHED);

    // Assess
    expect(verdict).toMatchObject({ kind: 'unavailable', reason: 'too-large' });
  });

  it('is unavailable (malformed) for a 200 that holds no range line', async () => {
    // Prepare
    standIn.behave('html');

    // Act
    const verdict = await judge().check(BREACHED);

    // Assess
    expect(verdict).toMatchObject({ kind: 'unavailable', reason: 'malformed' });
  });
});

describe('when the connection fails', () => {
  it('tries once more on a fresh connection, within the same timeout', async () => {
    // Prepare: a kept-alive connection closed while a container was frozen fails like this
    standIn.behave('drop-first');

    // Act
    const verdict = await judge().check(BREACHED);

    // Assess
    expect(verdict).toEqual({ kind: 'breached', count: 1_234 });
    expect(standIn.requests).toHaveLength(2);
  });

  it('is unavailable (network) when nothing listens', async () => {
    // Prepare: a port that was just free
    const closed = await startPwnedPasswordsStandIn();
    await closed.stop();

    // Act
    const verdict = await createPwnedPasswords({ baseUrl: closed.url, timeoutMs: 1_000 }).check(BREACHED);

    // Assess
    expect(verdict).toMatchObject({ kind: 'unavailable', reason: 'network' });
  });
});

describe('when the deployment configures the check', () => {
  it('leaves it off by default: no URL, so the functions are handed no judge', () => {
    expect(breachCheckConfig()).toEqual({ PWNED_PASSWORDS_URL: undefined, PWNED_PASSWORDS_TIMEOUT_MS: 1_500 });
    expect(breachedPasswords).toBeUndefined();
    expect(breachedPasswordsFor({ url: undefined, timeoutMs: 1_500 }, () => undefined)).toBeUndefined();
  });

  it('takes an empty URL as off', () => {
    expect(BreachCheckEnvironment.parse({ PWNED_PASSWORDS_URL: '' }).PWNED_PASSWORDS_URL).toBeUndefined();
  });

  it('takes the API’s https URL without its trailing slash, and a timeout', () => {
    expect(BreachCheckEnvironment.parse({ PWNED_PASSWORDS_URL: 'https://api.pwnedpasswords.com/', PWNED_PASSWORDS_TIMEOUT_MS: '800' })).toEqual({
      PWNED_PASSWORDS_URL: 'https://api.pwnedpasswords.com',
      PWNED_PASSWORDS_TIMEOUT_MS: 800,
    });
  });

  it.each([
    ['plain http to another machine', { PWNED_PASSWORDS_URL: 'http://api.pwnedpasswords.com' }],
    ['a timeout under 100 ms', { PWNED_PASSWORDS_URL: 'https://api.pwnedpasswords.com', PWNED_PASSWORDS_TIMEOUT_MS: '50' }],
    ['a timeout over 3 s', { PWNED_PASSWORDS_URL: 'https://api.pwnedpasswords.com', PWNED_PASSWORDS_TIMEOUT_MS: '3001' }],
  ])('refuses %s', (_label, environment) => {
    expect(BreachCheckEnvironment.safeParse(environment).success).toBe(false);
  });

  it('accepts plain http on this machine only, for a stand-in', () => {
    expect(BreachCheckEnvironment.parse({ PWNED_PASSWORDS_URL: standIn.url }).PWNED_PASSWORDS_URL).toBe(standIn.url);
  });
});
