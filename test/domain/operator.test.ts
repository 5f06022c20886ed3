// Use-case tests of the service operator's commands (functions/use-cases/operator.ts) on the shared in-memory ports,
// with a mailer and a hasher of their own: the first master's set-up link, features, the "contact us" reset of a master, the company list.
import type { AdminRecord } from '../../functions/domain/admin';
import { RESTARTED_ACCOUNT } from '../../functions/domain/sign-in-attempts';
import type { EmailMessage } from '../../functions/domain/emails';
import { DomainError } from '../../functions/domain/errors';
import type { PasswordHasher } from '../../functions/domain/password-hashing';
import type { ResetToken } from '../../functions/domain/ports';
import {
  InMemoryAdminAccounts,
  InMemoryAuditLog,
  InMemoryCompanyStore,
  InMemoryCredentialStore,
  InMemoryDeliverySuppressions,
  InMemoryDirectory,
} from './fakes';
import { hashToken } from '../../functions/domain/tokens';
import {
  OperatorRefusal,
  createCompanyWithMaster,
  listCompanies,
  resetMasterPassword,
  setCompanyFeature,
  setResetsPerDay,
  clearSuppressedAddressAsOperator,
  type NewCompany,
} from '../../functions/use-cases/operator';

const NOW = new Date('2025-06-02T09:00:00.000Z');
const BASE_URL = 'https://admin.example.com';
const ACME: NewCompany = { companyId: 'acme', companyName: 'Acme Corporation', masterEmail: 'Ada@Acme.Example', masterName: 'Ada Lovelace' };

// ---- the shared in-memory ports, with their own small mailer and hasher

/** The admins as stored, in the order they were created. */
const storedAdmins = (deps: ReturnType<typeof prepare>): AdminRecord[] => [...deps.directory.admins.values()];

/** The reset links as stored, in the order they were issued. */
const storedResets = (deps: ReturnType<typeof prepare>): ResetToken[] => [...deps.directory.tokens.values()].filter((token): token is ResetToken => 'sentTo' in token);

function adminRecord(overrides: Partial<AdminRecord> & Pick<AdminRecord, 'companyId' | 'adminId' | 'email' | 'role'>): AdminRecord {
  return {
    name: 'Someone',
    canChangeOwnPassword: true,
    status: 'active',
    password: { scheme: 'fake', cost: 1, hash: 'stored' },
    passwordKind: 'permanent',
    temporaryPasswordExpiresAt: undefined,
    passwordChangedAt: NOW.toISOString(),
    passwordVersion: 1,
    sessionEpoch: 1,
    ...RESTARTED_ACCOUNT,
    historyEntry: undefined,
    passwordHistory: [],
    resetLink: undefined,
    lastSignInAt: undefined,
    version: 1,
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    ...overrides,
  };
}

class Mailer {
  readonly sent: { to: string; message: EmailMessage }[] = [];
  failing = false;
  async send(to: string, message: EmailMessage) {
    if (this.failing) throw new Error('MessageRejected');
    this.sent.push({ to, message });
  }
}

/** Remembers every plaintext it was given, so a test can look for it where it must never appear. */
class Hasher implements PasswordHasher {
  readonly plaintexts: string[] = [];
  async hash(password: string) {
    this.plaintexts.push(password);
    return { scheme: 'fake', cost: 1, hash: `hashed(${password.length})` };
  }
  hashForHistory = this.hash;
  async verify() {
    return false;
  }
  needsRehash() {
    return false;
  }
}

function prepare() {
  let counter = 0;
  const directory = new InMemoryDirectory();
  const deps = {
    directory,
    companies: new InMemoryCompanyStore(directory),
    admins: new InMemoryAdminAccounts(directory),
    credentials: new InMemoryCredentialStore(directory),
    suppressions: new InMemoryDeliverySuppressions(directory),
    auditLog: new InMemoryAuditLog(directory.events),
    mailer: new Mailer(),
    hasher: new Hasher(),
    clock: { now: () => new Date(NOW) },
    // Distinct bytes on every call, so tokens and ids differ, and every run is the same.
    random: { bytes: (count: number) => Buffer.from(Array.from({ length: count }, () => (counter += 7) % 256)) },
    lifetimes: { resetLinkMinutes: 24 * 60 },
    publicBaseUrl: BASE_URL,
  };
  return deps;
}

const tokenIn = (message: EmailMessage): string => /#token=([A-Za-z0-9_-]{43})/.exec(message.text)![1]!;

async function refusalOf(promise: Promise<unknown>): Promise<OperatorRefusal> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof OperatorRefusal)) throw new Error(`expected an OperatorRefusal, got ${String(outcome)}`);
  return outcome;
}

/** A company created by the operator, with its set-up link already sent. */
async function acmeCreated() {
  const deps = prepare();
  await createCompanyWithMaster(ACME, deps);
  deps.mailer.sent.length = 0;
  deps.directory.events.length = 0;
  return { deps, master: storedAdmins(deps)[0]! };
}

describe('when the operator creates a company', () => {
  it('creates the company and its first master, active, with the address normalized', async () => {
    // Prepare
    const deps = prepare();

    // Act
    const { master } = await createCompanyWithMaster(ACME, deps);

    // Assess
    expect(deps.directory.companies.get('acme')).toMatchObject({ name: 'Acme Corporation', activeMasterCount: 1, features: [] });
    expect(master).toMatchObject({ companyId: 'acme', email: 'ada@acme.example', name: 'Ada Lovelace', role: 'master', status: 'active' });
  });

  it('leaves the master without any password: the throwaway one is removed by the reset that sends his link', async () => {
    // Prepare
    const deps = prepare();

    // Act
    await createCompanyWithMaster(ACME, deps);

    // Assess
    const master = storedAdmins(deps)[0]!;
    expect(master.password).toBeUndefined();
    expect(master.temporaryPasswordExpiresAt).toBeUndefined();
    expect(deps.hasher.plaintexts).toHaveLength(1);
    expect(deps.hasher.plaintexts[0]).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes
  });

  it('emails the master a set-up link to the Password Change Screen, valid 24 hours, and never the throwaway password', async () => {
    // Prepare
    const deps = prepare();

    // Act
    const { setUpLink } = await createCompanyWithMaster(ACME, deps);

    // Assess
    const [email] = deps.mailer.sent;
    expect(deps.mailer.sent).toHaveLength(1);
    expect(email!.to).toBe('ada@acme.example');
    expect(email!.message.subject).toBe('Your adminpass account for Acme Corporation was created');
    expect(email!.message.text).toContain('Hello Ada Lovelace,');
    expect(email!.message.text).toMatch(/https:\/\/admin\.example\.com\/password-reset#token=[A-Za-z0-9_-]{43}\n/);
    expect(email!.message.text).toContain('valid 24 hours, until 3 June 2025 at 09:00 UTC');
    expect(email!.message.text).toContain('company id "acme"');
    expect(email!.message.html).toContain('href="https://admin.example.com/password-reset#token=');
    expect(`${email!.message.text}${email!.message.html}`).not.toContain(deps.hasher.plaintexts[0]);
    expect(setUpLink).toEqual({ sentTo: 'ada@acme.example', expiresAt: '2025-06-03T09:00:00.000Z' });
  });

  it('stores the link as a reset token started by the operator, by its hash, for the password version the reset leaves', async () => {
    // Prepare
    const deps = prepare();

    // Act
    await createCompanyWithMaster(ACME, deps);

    // Assess
    const token = tokenIn(deps.mailer.sent[0]!.message);
    const master = storedAdmins(deps)[0]!;
    expect(storedResets(deps)).toEqual([
      {
        tokenHash: hashToken(token),
        companyId: 'acme',
        adminId: master.adminId,
        passwordVersion: master.passwordVersion,
        requestedBy: 'operator',
        sentTo: 'ada@acme.example',
        issuedForEmail: 'ada@acme.example',
        purpose: 'set-up',
        createdAt: NOW.toISOString(),
        expiresAt: '2025-06-03T09:00:00.000Z',
      },
    ]);
    expect(master.passwordVersion).toBe(2);
  });

  it('records company creation, admin creation and the reset as the operator, with no secret in any event', async () => {
    // Prepare
    const deps = prepare();

    // Act
    await createCompanyWithMaster(ACME, deps);

    // Assess
    const events = deps.directory.events;
    expect(events.map((event) => event.type)).toEqual(['COMPANY_CREATED', 'ADMIN_CREATED', 'PASSWORD_RESET_REQUESTED']);
    for (const event of events) expect(event).toMatchObject({ companyId: 'acme', actorAdminId: null, sourceIp: null, userAgent: 'adminpass-ops', outcome: 'success' });
    expect(events[2]!.details).toMatchObject({ sentTo: 'ada@acme.example', destination: 'registered', requestedBy: 'operator' });
    const stored = JSON.stringify(events);
    const token = tokenIn(deps.mailer.sent[0]!.message);
    for (const secret of [token, hashToken(token), deps.hasher.plaintexts[0]!]) expect(stored).not.toContain(secret);
  });

  it('refuses a company id that is taken, and changes and sends nothing', async () => {
    // Prepare
    const { deps } = await acmeCreated();

    // Act
    const refusal = await refusalOf(createCompanyWithMaster({ ...ACME, masterEmail: 'eve@acme.example' }, deps));

    // Assess
    expect(refusal.code).toBe('COMPANY_EXISTS');
    expect(refusal.message).toBe('Company "acme" already exists; nothing was changed.');
    expect(storedAdmins(deps)).toHaveLength(1);
    expect(deps.mailer.sent).toEqual([]);
    expect(deps.directory.events).toEqual([]);
  });

  it('says how to send the link again when the set-up email is refused, leaving a password that opens nothing', async () => {
    // Prepare
    const deps = prepare();
    deps.mailer.failing = true;

    // Act
    const refusal = await refusalOf(createCompanyWithMaster(ACME, deps));

    // Assess
    expect(refusal.code).toBe('SET_UP_EMAIL_NOT_SENT');
    expect(refusal.message).toContain('reset-master --company acme --email ada@acme.example');
    const master = storedAdmins(deps)[0]!;
    expect(master.passwordKind).toBe('temporary');
    expect(Date.parse(master.temporaryPasswordExpiresAt!)).toBeLessThanOrEqual(NOW.getTime());
    expect(storedResets(deps)).toEqual([]);
  });
});

describe('when the operator switches a feature', () => {
  it('enables it with a FEATURE_ENABLED event by the operator', async () => {
    // Prepare
    const { deps } = await acmeCreated();

    // Act
    const result = await setCompanyFeature({ companyId: 'acme', feature: 'password-policy', enabled: true }, deps);

    // Assess
    expect(result).toEqual({ changed: true });
    expect(deps.directory.companies.get('acme')!.features).toEqual(['password-policy']);
    expect(deps.directory.events).toEqual([
      expect.objectContaining({ type: 'FEATURE_ENABLED', companyId: 'acme', actorAdminId: null, details: { feature: 'password-policy' } }),
    ]);
  });

  it('disables it again with a FEATURE_DISABLED event', async () => {
    // Prepare
    const { deps } = await acmeCreated();
    await setCompanyFeature({ companyId: 'acme', feature: 'password-policy', enabled: true }, deps);

    // Act
    const result = await setCompanyFeature({ companyId: 'acme', feature: 'password-policy', enabled: false }, deps);

    // Assess
    expect(result).toEqual({ changed: true });
    expect(deps.directory.companies.get('acme')!.features).toEqual([]);
    expect(deps.directory.events.map((event) => event.type)).toEqual(['FEATURE_ENABLED', 'FEATURE_DISABLED']);
  });

  it('writes nothing and records nothing when the company is already in that state', async () => {
    // Prepare
    const { deps } = await acmeCreated();

    // Act
    const result = await setCompanyFeature({ companyId: 'acme', feature: 'password-policy', enabled: false }, deps);

    // Assess
    expect(result).toEqual({ changed: false });
    expect(deps.directory.events).toEqual([]);
  });

  it('refuses an unknown company', async () => {
    // Prepare
    const deps = prepare();

    // Act
    const refusal = await refusalOf(setCompanyFeature({ companyId: 'nobody', feature: 'password-policy', enabled: true }, deps));

    // Assess
    expect(refusal.code).toBe('COMPANY_NOT_FOUND');
    expect(refusal.message).toBe('There is no company "nobody"; nothing was changed.');
  });
});

describe('when the operator sets a company’s daily limit of reset emails', () => {
  it('stores it with a RESET_LIMIT_CHANGED event by the operator, naming the old and new limit', async () => {
    // Prepare
    const { deps } = await acmeCreated();

    // Act
    const result = await setResetsPerDay({ companyId: 'acme', resetsPerDay: 200 }, deps);

    // Assess
    expect(result).toEqual({ changed: true, previous: undefined });
    expect(deps.directory.companies.get('acme')!.resetsPerDay).toBe(200);
    expect(deps.directory.events).toEqual([
      expect.objectContaining({ type: 'RESET_LIMIT_CHANGED', companyId: 'acme', actorAdminId: null, userAgent: 'adminpass-ops', details: { resetsPerDay: 200, previous: null } }),
    ]);
  });

  it('unsets it again, so the deployment’s default applies', async () => {
    // Prepare
    const { deps } = await acmeCreated();
    await setResetsPerDay({ companyId: 'acme', resetsPerDay: 200 }, deps);

    // Act
    const result = await setResetsPerDay({ companyId: 'acme', resetsPerDay: undefined }, deps);

    // Assess
    expect(result).toEqual({ changed: true, previous: 200 });
    expect(deps.directory.companies.get('acme')).not.toHaveProperty('resetsPerDay');
    expect(deps.directory.events.map((event) => event.details)).toEqual([
      { resetsPerDay: 200, previous: null },
      { resetsPerDay: null, previous: 200 },
    ]);
  });

  it('writes nothing and records nothing when the limit is already that', async () => {
    // Prepare
    const { deps } = await acmeCreated();
    await setResetsPerDay({ companyId: 'acme', resetsPerDay: 75 }, deps);
    deps.directory.events.length = 0;

    // Act
    const results = [await setResetsPerDay({ companyId: 'acme', resetsPerDay: 75 }, deps), await setResetsPerDay({ companyId: 'globex-unset', resetsPerDay: 1 }, deps).catch(() => 'refused')];

    // Assess
    expect(results).toEqual([{ changed: false, previous: 75 }, 'refused']);
    expect(deps.directory.events).toEqual([]);
  });

  it.each([0, 10_001, 2.5, -1])('refuses %s, outside 1 to 10000, and changes nothing', async (resetsPerDay) => {
    // Prepare
    const { deps } = await acmeCreated();

    // Act
    const outcome = await setResetsPerDay({ companyId: 'acme', resetsPerDay }, deps).then(
      () => 'stored',
      (error: Error) => error.message,
    );

    // Assess
    expect(outcome).toBe('resetsPerDay must be a whole number from 1 to 10000');
    expect(deps.directory.companies.get('acme')).not.toHaveProperty('resetsPerDay');
    expect(deps.directory.events).toEqual([]);
  });

  it('refuses an unknown company', async () => {
    // Prepare
    const deps = prepare();

    // Act
    const refusal = await refusalOf(setResetsPerDay({ companyId: 'nobody', resetsPerDay: 10 }, deps));

    // Assess
    expect(refusal.code).toBe('COMPANY_NOT_FOUND');
  });
});

describe('when the operator clears a suppressed address', () => {
  it('refuses an address that is not suppressed, and an unknown company', async () => {
    // Prepare
    const { deps } = await acmeCreated();

    // Act
    const refusals = [
      await refusalOf(clearSuppressedAddressAsOperator({ companyId: 'acme', email: 'Fine@Example.org' }, deps)),
      await refusalOf(clearSuppressedAddressAsOperator({ companyId: 'nobody', email: 'fine@example.org' }, deps)),
    ];

    // Assess
    expect(refusals.map((refusal) => [refusal.code, refusal.message])).toEqual([
      ['SUPPRESSION_NOT_FOUND', 'fine@example.org is not suppressed in "acme"; nothing was changed.'],
      ['COMPANY_NOT_FOUND', 'There is no company "nobody"; nothing was changed.'],
    ]);
    expect(deps.directory.events).toEqual([]);
  });
});

describe('when a locked-out master asks the operator for a reset', () => {
  async function acmeWithAdmins() {
    const { deps, master: created } = await acmeCreated();
    const signedUp = adminRecord({ companyId: 'acme', adminId: created.adminId, email: created.email, role: 'master', name: 'Ada Lovelace', passwordVersion: 3 });
    const master = deps.directory.put({ ...signedUp, failedSignIns: 10, lockedUntil: '2025-06-02T09:15:00.000Z' });
    deps.directory.put(adminRecord({ companyId: 'acme', adminId: 'GENERAL', email: 'grace@acme.example', role: 'general' }));
    deps.directory.put(adminRecord({ companyId: 'acme', adminId: 'GONE', email: 'old@acme.example', role: 'master', status: 'disabled' }));
    return { deps, master };
  }

  it('emails a reset link to his registered address, however the operator typed it, as a reset started by the operator', async () => {
    // Prepare
    const { deps, master } = await acmeWithAdmins();

    // Act
    const sent = await resetMasterPassword({ companyId: 'acme', email: ' ADA@acme.example ' }, deps);

    // Assess
    expect(sent).toEqual({ sentTo: 'ada@acme.example', expiresAt: '2025-06-03T09:00:00.000Z' });
    const [email] = deps.mailer.sent;
    expect(email!.to).toBe('ada@acme.example');
    expect(email!.message.subject).toBe('Set a new password for your Acme Corporation master administrator account');
    expect(email!.message.text).toContain('the adminpass service operator has reset your master administrator password for Acme Corporation');
    expect(storedResets(deps).at(-1)).toMatchObject({ tokenHash: hashToken(tokenIn(email!.message)), requestedBy: 'operator', purpose: 'reset', passwordVersion: 4 });
    expect(deps.directory.events).toEqual([
      expect.objectContaining({ type: 'PASSWORD_RESET_REQUESTED', actorAdminId: null, targetAdminId: master.adminId, userAgent: 'adminpass-ops' }),
    ]);
  });

  it('stops his old password and sessions and changes nothing else: the lock lifts only when he sets a new password', async () => {
    // Prepare
    const { deps, master } = await acmeWithAdmins();

    // Act
    await resetMasterPassword({ companyId: 'acme', email: 'ada@acme.example' }, deps);

    // Assess
    const after = storedAdmins(deps)[0]!;
    expect(after.password).toBeUndefined();
    expect(after.sessionEpoch).toBe(master.sessionEpoch + 1);
    expect(after).toMatchObject({ role: 'master', status: 'active', failedSignIns: 10, lockedUntil: master.lockedUntil });
  });

  it.each([
    ['an address nobody in the company has', 'acme', 'nobody@acme.example', 'ADMIN_NOT_FOUND'],
    ['a general administrator', 'acme', 'grace@acme.example', 'NOT_A_MASTER'],
    ['a disabled master', 'acme', 'old@acme.example', 'ADMIN_DISABLED'],
    ['an unknown company', 'globex', 'ada@acme.example', 'COMPANY_NOT_FOUND'],
  ])('refuses %s, and sends and changes nothing', async (_case, companyId, email, code) => {
    // Prepare
    const { deps } = await acmeWithAdmins();
    const before = structuredClone(storedAdmins(deps));

    // Act
    const refusal = await refusalOf(resetMasterPassword({ companyId, email }, deps));

    // Assess
    expect(refusal.code).toBe(code);
    expect(refusal.message).toMatch(/nothing was (sent|changed)\.$/i);
    expect(deps.mailer.sent).toEqual([]);
    expect(storedAdmins(deps)).toEqual(before);
    expect(deps.directory.events).toEqual([]);
  });

  it('resets nothing when the email is refused, so his password still works', async () => {
    // Prepare
    const { deps } = await acmeWithAdmins();
    deps.mailer.failing = true;

    // Act
    const failure = await resetMasterPassword({ companyId: 'acme', email: 'ada@acme.example' }, deps).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(DomainError);
    expect((failure as DomainError).code).toBe('EMAIL_DELIVERY_FAILED');
    expect(storedAdmins(deps)[0]!.password).toBeDefined();
    expect(deps.directory.events).toEqual([]);
  });
});

describe('when the operator lists the companies', () => {
  it('returns every company ordered by id', async () => {
    // Prepare
    const deps = prepare();
    await createCompanyWithMaster({ ...ACME, companyId: 'zeta', companyName: 'Zeta' }, deps);
    await createCompanyWithMaster(ACME, deps);

    // Act
    const companies = await listCompanies(deps);

    // Assess
    expect(companies.map((company) => [company.companyId, company.name, company.activeMasterCount])).toEqual([
      ['acme', 'Acme Corporation', 1],
      ['zeta', 'Zeta', 1],
    ]);
  });
});
