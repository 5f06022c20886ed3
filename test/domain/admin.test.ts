// Unit tests of the admin account rules (functions/domain/admin.ts).
import { etagOf, mayChangeOwnPassword, normalizeEmail, toAdminView } from '../../functions/domain/admin';
import { START, adminRecord } from './fakes';

describe('when an admin is shown through the API', () => {
  it('leaves out the password, its hash and every internal counter', () => {
    // Prepare
    const admin = adminRecord({
      password: { scheme: 'hmac-sha384-bcrypt', cost: 4, hash: '$2b$04$abcdefghijklmnopqrstuv0123456789012345678901234567' },
      failedSignIns: 3,
      temporaryPasswordExpiresAt: '2025-06-09T09:00:00.000Z',
    });

    // Act
    const view = toAdminView(admin, START);

    // Assess
    expect(Object.keys(view).sort()).toEqual(
      [
        ...['adminId', 'canChangeOwnPassword', 'companyId', 'createdAt', 'email', 'locked', 'lockedUntil', 'name', 'passwordChangedAt', 'role', 'status', 'updatedAt'],
        // The password's state for the screens: what kind, until when, where a link went, and the last sign-in.
        ...['passwordState', 'passwordExpiresAt', 'resetLinkSentTo', 'lastSignInAt'],
      ].sort(),
    );
    const shown = JSON.stringify(view);
    expect(shown).not.toContain('$2b$');
    expect(shown).not.toContain('hmac-sha384-bcrypt');
    expect(view).not.toHaveProperty('password');
    expect(view).not.toHaveProperty('passwordHash');
  });

  it('shows a lock that still holds, with its end', () => {
    // Prepare
    const admin = adminRecord({ lockedUntil: '2025-06-02T09:15:00.000Z' });

    // Act
    const view = toAdminView(admin, new Date('2025-06-02T09:14:59.000Z'));

    // Assess
    expect(view).toMatchObject({ locked: true, lockedUntil: '2025-06-02T09:15:00.000Z' });
  });

  it('shows a lapsed lock as no lock at all', () => {
    // Prepare
    const admin = adminRecord({ lockedUntil: '2025-06-02T09:15:00.000Z' });

    // Act
    const view = toAdminView(admin, new Date('2025-06-02T09:15:00.000Z'));

    // Assess
    expect(view).toMatchObject({ locked: false, lockedUntil: null });
  });

  it('shows a missing password change time as null', () => {
    // Prepare
    const admin = adminRecord({ passwordChangedAt: undefined });

    // Act
    const view = toAdminView(admin, START);

    // Assess
    expect(view.passwordChangedAt).toBeNull();
  });

  it('reports the effective right to change one’s own password: always true for a master', () => {
    // Prepare
    const master = adminRecord({ role: 'master', canChangeOwnPassword: false });

    // Act
    const view = toAdminView(master, START);

    // Assess
    expect(view.canChangeOwnPassword).toBe(true);
  });
});

describe('when deciding who may change their own password', () => {
  it.each([
    ['a master without the flag', 'master', false, true],
    ['a master with the flag', 'master', true, true],
    ['a general admin granted the right', 'general', true, true],
    ['a general admin not granted the right', 'general', false, false],
  ] as const)('answers for %s', (_who, role, canChangeOwnPassword, expected) => {
    // Act
    const answer = mayChangeOwnPassword({ role, canChangeOwnPassword });

    // Assess
    expect(answer).toBe(expected);
  });
});

describe('when emails and versions are prepared for storage', () => {
  it('trims and lower-cases an email address', () => {
    // Act
    const email = normalizeEmail('  Grace.Hopper@ACME.example ');

    // Assess
    expect(email).toBe('grace.hopper@acme.example');
  });

  it('makes a strong ETag of the version', () => {
    // Act
    const etag = etagOf({ version: 7 });

    // Assess
    expect(etag).toBe('"7"');
  });
});
