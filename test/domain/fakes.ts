// Test support for the use-case tests: hand-written in-memory implementations of the ports (AdminDirectory,
// SessionStore, ChallengeStore), a clock the test moves by hand, deterministic randomness and a recording hasher.
import type { AdminRecord } from '../../functions/domain/admin';
import { DomainError, emailTaken, lastMaster, staleVersion } from '../../functions/domain/errors';
import { createPasswordHasher, type PasswordHasher, type StoredPassword } from '../../functions/domain/password-hashing';
import type {
  AdminDirectory,
  AdminPage,
  Challenge,
  ChallengeStore,
  Clock,
  Company,
  NewAdmin,
  AttemptLimiter,
  Mailer,
  PasswordWrite,
  ProfileChange,
  RandomSource,
  ResetToken,
  ResetTokenStore,
  Session,
  SessionStore,
} from '../../functions/domain/ports';
import type { EmailMessage } from '../../functions/domain/emails';
import type { Actor } from '../../functions/use-cases/actor';
import type { Lifetimes } from '../../functions/use-cases/dependencies';

export const COMPANY = 'acme';
export const OTHER_COMPANY = 'globex';
export const START = new Date('2025-06-02T09:00:00.000Z');

/** A clock that stands still until the test moves it. */
export class FixedClock implements Clock {
  private current: Date;
  constructor(start: Date = START) {
    this.current = new Date(start);
  }
  now(): Date {
    return new Date(this.current);
  }
  advanceMinutes(minutes: number): void {
    this.current = new Date(this.current.getTime() + minutes * 60_000);
  }
}

/** Deterministic bytes: each call continues a counter, so successive tokens differ but every run is identical. */
export class CountingRandom implements RandomSource {
  readonly requested: number[] = [];
  private next = 1;
  bytes(count: number): Buffer {
    this.requested.push(count);
    const buffer = Buffer.alloc(count);
    for (let i = 0; i < count; i += 1) {
      buffer[i] = this.next & 0xff;
      this.next += 7;
    }
    return buffer;
  }
}

export const LIFETIMES: Lifetimes = { sessionMinutes: 480, challengeMinutes: 10, temporaryPasswordMinutes: 7 * 24 * 60, resetLinkMinutes: 24 * 60 };

/** The real hasher at the test cost, counting how often each method is used. */
export class RecordingHasher implements PasswordHasher {
  readonly verifyCalls: (StoredPassword | undefined)[] = [];
  hashCalls = 0;
  private readonly inner = createPasswordHasher({ pepper: Buffer.from('unit-test-pepper-0123456789abcdefghij'), cost: 4 });
  async hash(password: string): Promise<StoredPassword> {
    this.hashCalls += 1;
    return this.inner.hash(password);
  }
  async verify(password: string, stored: StoredPassword | undefined): Promise<boolean> {
    this.verifyCalls.push(stored);
    return this.inner.verify(password, stored);
  }
  needsRehash(stored: StoredPassword): boolean {
    return this.inner.needsRehash(stored);
  }
}

const key = (companyId: string, adminId: string) => `${companyId}/${adminId}`;

/** An AdminDirectory in a Map, with the same conditions the DynamoDB adapter enforces. */
/** The single-use token table: challenges and reset links, keyed by token hash, shared by their stores. */
export type TokenTable = Map<string, Challenge | ResetToken>;

export class InMemoryAdminDirectory implements AdminDirectory {
  constructor(readonly tokens: TokenTable = new Map()) {}
  readonly admins = new Map<string, AdminRecord>();
  readonly failedAttempts: { companyId: string; adminId: string }[] = [];
  readonly passwordWrites: PasswordWrite[] = [];
  readonly profileUpdates: { adminId: string; expectedVersion: number; change: ProfileChange }[] = [];
  readonly companies = new Map<string, Company>();

  put(admin: AdminRecord): AdminRecord {
    this.admins.set(key(admin.companyId, admin.adminId), admin);
    return admin;
  }

  async createCompany(company: { companyId: string; name: string; now: string }): Promise<boolean> {
    if (this.companies.has(company.companyId)) return false;
    this.companies.set(company.companyId, { companyId: company.companyId, name: company.name, activeMasterCount: 0 });
    return true;
  }

  async getCompany(companyId: string) {
    return this.companies.get(companyId);
  }

  async getAdmin(companyId: string, adminId: string) {
    return this.admins.get(key(companyId, adminId));
  }

  async findAdminByEmail(companyId: string, email: string) {
    return [...this.admins.values()].find((admin) => admin.companyId === companyId && admin.email === email);
  }

  async listAdmins(companyId: string, limit: number): Promise<AdminPage> {
    const items = [...this.admins.values()].filter((admin) => admin.companyId === companyId).slice(0, limit);
    return { items, nextCursor: null };
  }

  async createAdmin(admin: NewAdmin): Promise<AdminRecord> {
    if (await this.findAdminByEmail(admin.companyId, admin.email)) throw emailTaken();
    return this.put(
      adminRecord({
        ...admin,
        passwordKind: 'temporary',
        passwordChangedAt: admin.now,
        createdAt: admin.now,
        updatedAt: admin.now,
      }),
    );
  }

  async updateProfile(current: AdminRecord, expectedVersion: number, change: ProfileChange, now: string) {
    const stored = await this.getAdmin(current.companyId, current.adminId);
    if (stored === undefined || stored.version !== expectedVersion) throw staleVersion();
    if (change.email !== undefined && change.email !== stored.email && (await this.findAdminByEmail(stored.companyId, change.email))) {
      throw emailTaken();
    }
    const masters = [...this.admins.values()].filter((a) => a.companyId === stored.companyId && a.role === 'master' && a.status === 'active');
    if (stored.role === 'master' && change.role === 'general' && masters.length <= 1) throw lastMaster();
    this.profileUpdates.push({ adminId: stored.adminId, expectedVersion, change });
    return this.put({ ...stored, ...change, version: stored.version + 1, updatedAt: now });
  }

  async disable(current: AdminRecord, now: string) {
    this.put({ ...current, status: 'disabled', sessionEpoch: current.sessionEpoch + 1, updatedAt: now });
  }

  async startPasswordReset(target: AdminRecord, token: ResetToken, now: string): Promise<boolean> {
    const stored = await this.getAdmin(target.companyId, target.adminId);
    if (stored === undefined || stored.passwordVersion !== target.passwordVersion || stored.sessionEpoch !== target.sessionEpoch) return false;
    this.put({
      ...stored,
      password: undefined,
      passwordKind: 'permanent',
      temporaryPasswordExpiresAt: undefined,
      passwordVersion: token.passwordVersion,
      sessionEpoch: stored.sessionEpoch + 1,
      updatedAt: now,
    });
    this.tokens.set(token.tokenHash, token);
    return true;
  }

  async writePassword(write: PasswordWrite): Promise<boolean> {
    const stored = await this.getAdmin(write.companyId, write.adminId);
    if (
      stored === undefined ||
      stored.passwordVersion !== write.expected.passwordVersion ||
      stored.sessionEpoch !== write.expected.sessionEpoch ||
      (write.consumeTokenHash !== undefined && !this.tokens.has(write.consumeTokenHash))
    ) {
      return false;
    }
    if (write.consumeTokenHash !== undefined) this.tokens.delete(write.consumeTokenHash);
    this.passwordWrites.push(write);
    this.put({
      ...stored,
      password: write.password,
      passwordKind: write.kind,
      temporaryPasswordExpiresAt: write.temporaryPasswordExpiresAt,
      passwordChangedAt: write.now,
      passwordVersion: stored.passwordVersion + 1,
      sessionEpoch: stored.sessionEpoch + (write.revokeSessions ? 1 : 0),
      failedSignIns: 0,
    });
    return true;
  }

  async upgradePasswordHash(admin: AdminRecord, password: StoredPassword): Promise<boolean> {
    const stored = await this.getAdmin(admin.companyId, admin.adminId);
    if (stored === undefined || stored.passwordVersion !== admin.passwordVersion) return false;
    this.put({ ...stored, password });
    return true;
  }

  async recordFailedAttempt(companyId: string, adminId: string): Promise<void> {
    this.failedAttempts.push({ companyId, adminId });
    const stored = await this.getAdmin(companyId, adminId);
    if (stored !== undefined) this.put({ ...stored, failedSignIns: stored.failedSignIns + 1 });
  }

  async clearFailedAttempts(companyId: string, adminId: string): Promise<void> {
    const stored = await this.getAdmin(companyId, adminId);
    if (stored !== undefined) this.put({ ...stored, failedSignIns: 0 });
  }
}

/** Sessions in a Map. Like DynamoDB before its TTL sweep, it keeps expired items until someone deletes them. */
export class InMemorySessionStore implements SessionStore {
  readonly items = new Map<string, Session>();
  async create(session: Session) {
    this.items.set(session.tokenHash, session);
  }
  async get(tokenHash: string) {
    return this.items.get(tokenHash);
  }
  async delete(tokenHash: string) {
    this.items.delete(tokenHash);
  }
}

export class InMemoryChallengeStore implements ChallengeStore {
  constructor(readonly items: TokenTable = new Map()) {}
  async create(challenge: Challenge) {
    this.items.set(challenge.tokenHash, challenge);
  }
  async get(tokenHash: string) {
    const item = this.items.get(tokenHash);
    return item !== undefined && 'reason' in item ? item : undefined;
  }
}

export class InMemoryResetTokenStore implements ResetTokenStore {
  constructor(readonly items: TokenTable = new Map()) {}
  async get(tokenHash: string) {
    const item = this.items.get(tokenHash);
    return item !== undefined && 'sentTo' in item ? item : undefined;
  }
}

/** Counts misses per client with no window: the tests move no further than one window. */
export class InMemoryAttemptLimiter implements AttemptLimiter {
  readonly misses = new Map<string, number>();
  constructor(readonly maxMisses = 10) {}
  async isBlocked(clientKey: string) {
    return (this.misses.get(clientKey) ?? 0) >= this.maxMisses;
  }
  async recordMiss(clientKey: string) {
    this.misses.set(clientKey, (this.misses.get(clientKey) ?? 0) + 1);
  }
}

/** Keeps what it was asked to send; `failWith` makes the next sends fail as SES would. */
export class RecordingMailer implements Mailer {
  readonly sent: { to: string; message: EmailMessage }[] = [];
  failWith: Error | undefined;
  async send(to: string, message: EmailMessage) {
    if (this.failWith) throw this.failWith;
    this.sent.push({ to, message });
  }
}

let adminCounter = 0;

/** A valid, active admin record; every field can be overridden. */
export function adminRecord(overrides: Partial<AdminRecord> = {}): AdminRecord {
  adminCounter += 1;
  return {
    companyId: COMPANY,
    adminId: `01JX0000000000000000000${String(adminCounter).padStart(3, '0')}`,
    email: 'grace.hopper@acme.example',
    name: 'Grace Hopper',
    role: 'general',
    canChangeOwnPassword: true,
    status: 'active',
    password: undefined,
    passwordKind: 'permanent',
    temporaryPasswordExpiresAt: undefined,
    passwordChangedAt: START.toISOString(),
    passwordVersion: 1,
    sessionEpoch: 1,
    failedSignIns: 0,
    version: 1,
    createdAt: START.toISOString(),
    updatedAt: START.toISOString(),
    ...overrides,
  };
}

export const actorFor = (admin: AdminRecord, sessionHash = 'a'.repeat(64)): Actor => ({ admin, sessionHash });

/** Everything a use case may ask for, wired to fresh fakes. */
export function fakeDependencies() {
  const tokens: TokenTable = new Map();
  return {
    directory: new InMemoryAdminDirectory(tokens),
    sessions: new InMemorySessionStore(),
    challenges: new InMemoryChallengeStore(tokens),
    resetTokens: new InMemoryResetTokenStore(tokens),
    resetAttempts: new InMemoryAttemptLimiter(),
    mailer: new RecordingMailer(),
    publicBaseUrl: 'https://admin.acme.example',
    hasher: new RecordingHasher(),
    clock: new FixedClock(),
    random: new CountingRandom(),
    lifetimes: LIFETIMES,
  };
}

/** The DomainError a use case rejects with; fails the test when it resolves or throws anything else. */
export async function failureOf(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}
