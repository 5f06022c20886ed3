// Test support for the use-case tests: hand-written in-memory implementations of the ports (AdminDirectory with the
// DynamoDB adapter's conditions, AuditLog, SessionStore, ChallengeStore, ...), a clock the test moves by hand,
// deterministic randomness and a recording hasher.
import { MAX_PASSWORD_HISTORY, type AdminRecord } from '../../functions/domain/admin';
import type { AuditEvent, Origin } from '../../functions/domain/audit';
import type { Company, Feature, PasswordPolicySettings } from '../../functions/domain/company';
import { DomainError, emailTaken, lastMaster, staleVersion } from '../../functions/domain/errors';
import { createPasswordHasher, type PasswordHasher, type StoredPassword } from '../../functions/domain/password-hashing';
import { DEFAULT_PASSWORD_POLICY } from '../../functions/domain/password-policy';
import type {
  AdminDirectory,
  AdminPage,
  AuditLog,
  Challenge,
  ChallengeStore,
  Clock,
  LockoutRule,
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
import { issueToken } from '../../functions/domain/tokens';
import type { Actor } from '../../functions/use-cases/actor';
import type { Lifetimes } from '../../functions/use-cases/dependencies';

export const COMPANY = 'acme';
export const COMPANY_NAME = 'Acme Corporation';
export const OTHER_COMPANY = 'globex';
export const START = new Date('2025-06-02T09:00:00.000Z');

/** Where the test requests come from. */
export const ORIGIN: Origin = { sourceIp: '203.0.113.9', userAgent: 'jest-use-case' };

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
  advanceDays(days: number): void {
    this.advanceMinutes(days * 24 * 60);
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

export const LIFETIMES: Lifetimes = { sessionMinutes: 480, challengeMinutes: 10, resetLinkMinutes: 24 * 60 };

/**
 * The real hasher at the test cost, counting how often each method is used. History forms are made at the test
 * cost too (production uses HISTORY_COST): verify reads the cost from the hash, so only the speed differs.
 */
export class RecordingHasher implements PasswordHasher {
  readonly verifyCalls: (StoredPassword | undefined)[] = [];
  hashCalls = 0;
  historyHashCalls = 0;
  private readonly inner = createPasswordHasher({ pepper: Buffer.from('unit-test-pepper-0123456789abcdefghij'), cost: 4 });
  async hash(password: string): Promise<StoredPassword> {
    this.hashCalls += 1;
    return this.inner.hash(password);
  }
  async hashForHistory(password: string): Promise<StoredPassword> {
    this.historyHashCalls += 1;
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

/** The single-use token table: challenges and reset links, keyed by token hash, shared by their stores. */
export type TokenTable = Map<string, Challenge | ResetToken>;

/** A company record; every field can be overridden. */
export function companyRecord(overrides: Partial<Company> = {}): Company {
  return {
    companyId: COMPANY,
    name: COMPANY_NAME,
    activeMasterCount: 1,
    features: [],
    passwordPolicy: undefined,
    createdAt: START.toISOString(),
    ...overrides,
  };
}

/** The default policy as a company stores it (without the fixed maximum length), with some settings changed. */
export function policySettings(overrides: Partial<PasswordPolicySettings> = {}): PasswordPolicySettings {
  const { maxLength: _fixed, ...settings } = DEFAULT_PASSWORD_POLICY;
  return { ...settings, ...overrides };
}

/** The audit table: every event any write or the audit log stored, in the order they were stored. */
export class InMemoryAuditLog implements AuditLog {
  constructor(readonly events: AuditEvent[] = []) {}
  async record(events: readonly AuditEvent[]): Promise<void> {
    this.events.push(...events);
  }
  async list(companyId: string, query: { limit: number; cursor?: string | undefined; adminId?: string | undefined }) {
    const after = query.cursor === undefined ? undefined : Buffer.from(query.cursor, 'base64url').toString('utf8');
    const matching = this.events
      .filter((event) => event.companyId === companyId)
      .filter((event) => query.adminId === undefined || (event.targetAdminId ?? event.actorAdminId) === query.adminId)
      .sort((a, b) => (a.eventId < b.eventId ? 1 : a.eventId > b.eventId ? -1 : 0))
      .filter((event) => after === undefined || event.eventId < after);
    const items = matching.slice(0, query.limit);
    const last = items.at(-1);
    return { items, nextCursor: matching.length > query.limit && last ? Buffer.from(last.eventId, 'utf8').toString('base64url') : null };
  }
}

/**
 * An AdminDirectory in Maps, with the conditions of the DynamoDB adapter (functions/adapters/dynamodb/
 * admin-directory.ts): each write applies whole or not at all, and its audit events are stored only when it applies.
 */
export class InMemoryAdminDirectory implements AdminDirectory {
  constructor(
    readonly tokens: TokenTable = new Map(),
    readonly sessions: Map<string, Session> = new Map(),
    /** The audit table the writes store their events in (shared with the InMemoryAuditLog of fakeDependencies). */
    readonly events: AuditEvent[] = [],
  ) {}
  readonly admins = new Map<string, AdminRecord>();
  readonly failedAttempts: { companyId: string; adminId: string }[] = [];
  readonly passwordWrites: PasswordWrite[] = [];
  readonly profileUpdates: { adminId: string; expectedVersion: number; change: ProfileChange }[] = [];
  readonly companies = new Map<string, Company>();

  put(admin: AdminRecord): AdminRecord {
    this.admins.set(key(admin.companyId, admin.adminId), admin);
    return admin;
  }

  putCompany(company: Company): Company {
    this.companies.set(company.companyId, company);
    return company;
  }

  private commit(events: readonly AuditEvent[]): void {
    this.events.push(...events);
  }

  private activeMasters(companyId: string): number {
    return [...this.admins.values()].filter((admin) => admin.companyId === companyId && admin.role === 'master' && admin.status === 'active').length;
  }

  async createCompany(company: { companyId: string; name: string; now: string }, events: readonly AuditEvent[]): Promise<boolean> {
    if (this.companies.has(company.companyId)) return false;
    this.putCompany(companyRecord({ companyId: company.companyId, name: company.name, activeMasterCount: 0, createdAt: company.now }));
    this.commit(events);
    return true;
  }

  async getCompany(companyId: string) {
    return this.companies.get(companyId);
  }

  async listCompanies() {
    return [...this.companies.values()];
  }

  async setFeature(companyId: string, feature: Feature, enabled: boolean, events: readonly AuditEvent[]): Promise<boolean> {
    const company = this.companies.get(companyId);
    if (company === undefined) return false;
    const features = enabled ? [...new Set([...company.features, feature])] : company.features.filter((existing) => existing !== feature);
    this.putCompany({ ...company, features });
    this.commit(events);
    return true;
  }

  async savePasswordPolicy(companyId: string, settings: PasswordPolicySettings, events: readonly AuditEvent[]): Promise<void> {
    const company = this.companies.get(companyId);
    if (company === undefined) throw new Error(`company ${companyId} does not exist`);
    this.putCompany({ ...company, passwordPolicy: settings });
    this.commit(events);
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

  async createAdmin(admin: NewAdmin, events: readonly AuditEvent[]): Promise<AdminRecord> {
    // The adapter's transaction: [company condition, admin item, email claim]; the email claim is named first.
    if (await this.findAdminByEmail(admin.companyId, admin.email)) throw emailTaken();
    const company = this.companies.get(admin.companyId);
    if (company === undefined) throw new Error(`company ${admin.companyId} does not exist`);
    if (this.admins.has(key(admin.companyId, admin.adminId))) throw new Error('admin id collision');
    if (admin.role === 'master') this.putCompany({ ...company, activeMasterCount: company.activeMasterCount + 1 });
    const created = this.put(
      adminRecord({
        companyId: admin.companyId,
        adminId: admin.adminId,
        email: admin.email,
        name: admin.name,
        role: admin.role,
        canChangeOwnPassword: admin.canChangeOwnPassword,
        password: admin.password,
        passwordKind: 'temporary',
        temporaryPasswordExpiresAt: admin.temporaryPasswordExpiresAt,
        passwordChangedAt: admin.now,
        createdAt: admin.now,
        updatedAt: admin.now,
      }),
    );
    this.commit(events);
    return created;
  }

  async updateProfile(current: AdminRecord, expectedVersion: number, change: ProfileChange, now: string, events: readonly AuditEvent[]) {
    const stored = await this.getAdmin(current.companyId, current.adminId);
    if (stored === undefined || stored.version !== expectedVersion) throw staleVersion();
    const next = { ...current, ...change };
    if (next.email !== current.email && (await this.findAdminByEmail(current.companyId, next.email))) throw emailTaken();
    // Demoting an active master needs another active master left (the adapter's activeMasterCount > 1).
    if (current.status === 'active' && current.role === 'master' && next.role !== 'master' && this.activeMasters(current.companyId) <= 1) {
      throw lastMaster();
    }
    this.profileUpdates.push({ adminId: stored.adminId, expectedVersion, change });
    this.commit(events);
    return this.put({ ...stored, ...change, version: current.version + 1, updatedAt: now });
  }

  async disable(current: AdminRecord, now: string, events: readonly AuditEvent[]) {
    if (current.status === 'disabled') return;
    if (current.role === 'master' && this.activeMasters(current.companyId) <= 1) throw lastMaster();
    const stored = await this.getAdmin(current.companyId, current.adminId);
    // Another master disabled it meanwhile: the outcome holds, and the cancelled transaction stored no event.
    if (stored === undefined || stored.status !== 'active') return;
    this.put({ ...stored, status: 'disabled', sessionEpoch: stored.sessionEpoch + 1, version: stored.version + 1, updatedAt: now });
    this.commit(events);
  }

  async startPasswordReset(target: AdminRecord, token: ResetToken, now: string, events: readonly AuditEvent[]): Promise<boolean> {
    const stored = await this.getAdmin(target.companyId, target.adminId);
    if (stored === undefined || stored.passwordVersion !== target.passwordVersion || stored.sessionEpoch !== target.sessionEpoch) return false;
    if (this.tokens.has(token.tokenHash)) return false;
    this.put({
      ...stored,
      password: undefined,
      passwordKind: 'permanent',
      temporaryPasswordExpiresAt: undefined,
      historyEntry: undefined,
      passwordHistory: (target.historyEntry === undefined ? [...target.passwordHistory] : [target.historyEntry, ...target.passwordHistory]).slice(
        0,
        MAX_PASSWORD_HISTORY,
      ),
      passwordVersion: token.passwordVersion,
      sessionEpoch: stored.sessionEpoch + 1,
      updatedAt: now,
    });
    this.tokens.set(token.tokenHash, token);
    this.commit(events);
    return true;
  }

  async writePassword(write: PasswordWrite): Promise<boolean> {
    const stored = await this.getAdmin(write.companyId, write.adminId);
    if (
      stored === undefined ||
      stored.passwordVersion !== write.expected.passwordVersion ||
      stored.sessionEpoch !== write.expected.sessionEpoch ||
      (write.keepSessionHash !== undefined && !this.sessions.has(write.keepSessionHash)) ||
      (write.consumeTokenHash !== undefined && !this.tokens.has(write.consumeTokenHash)) ||
      (write.newSession !== undefined && this.sessions.has(write.newSession.tokenHash))
    ) {
      return false;
    }
    const nextEpoch = write.expected.sessionEpoch + (write.revokeSessions ? 1 : 0);
    if (write.keepSessionHash !== undefined) {
      const kept = this.sessions.get(write.keepSessionHash)!;
      this.sessions.set(write.keepSessionHash, { ...kept, epoch: nextEpoch });
    }
    if (write.consumeTokenHash !== undefined) this.tokens.delete(write.consumeTokenHash);
    if (write.newSession !== undefined) this.sessions.set(write.newSession.tokenHash, { ...write.newSession, epoch: nextEpoch });
    this.passwordWrites.push(write);
    this.put({
      ...stored,
      password: write.password,
      passwordKind: write.kind,
      temporaryPasswordExpiresAt: write.temporaryPasswordExpiresAt,
      historyEntry: write.historyEntry,
      passwordHistory: [...write.passwordHistory],
      passwordChangedAt: write.now,
      updatedAt: write.now,
      passwordVersion: write.expected.passwordVersion + 1,
      sessionEpoch: nextEpoch,
      failedSignIns: 0,
      lockedUntil: undefined,
    });
    this.commit(write.events);
    return true;
  }

  async upgradePasswordHash(admin: AdminRecord, password: StoredPassword): Promise<boolean> {
    const stored = await this.getAdmin(admin.companyId, admin.adminId);
    if (stored === undefined || stored.passwordVersion !== admin.passwordVersion) return false;
    this.put({ ...stored, password });
    return true;
  }

  async recordFailedAttempt(
    admin: AdminRecord,
    lockout: LockoutRule,
    now: Date,
    events: readonly AuditEvent[],
    lockEvents: readonly AuditEvent[],
  ): Promise<{ locked: boolean }> {
    this.failedAttempts.push({ companyId: admin.companyId, adminId: admin.adminId });
    const stored = await this.getAdmin(admin.companyId, admin.adminId);
    if (stored !== undefined) {
      this.put({ ...stored, failedSignIns: stored.failedSignIns + 1 });
      this.commit(events);
    }
    // As the adapter: the lock is judged on the stored count, never on the count this request read.
    if (lockout.threshold === 0) return { locked: false };
    const counted = await this.getAdmin(admin.companyId, admin.adminId);
    const nowIso = now.toISOString();
    if (counted === undefined || counted.failedSignIns < lockout.threshold || (counted.lockedUntil !== undefined && counted.lockedUntil > nowIso)) {
      return { locked: false };
    }
    this.put({ ...counted, lockedUntil: new Date(now.getTime() + lockout.minutes * 60_000).toISOString(), failedSignIns: 0 });
    this.commit(lockEvents);
    return { locked: true };
  }

  async recordSignIn(admin: AdminRecord, events: readonly AuditEvent[]): Promise<void> {
    const stored = await this.getAdmin(admin.companyId, admin.adminId);
    if (stored === undefined) return;
    this.put({ ...stored, failedSignIns: 0, lockedUntil: undefined });
    this.commit(events);
  }

  async unlock(admin: AdminRecord, events: readonly AuditEvent[]): Promise<void> {
    const stored = await this.getAdmin(admin.companyId, admin.adminId);
    if (stored === undefined) return;
    this.put({ ...stored, failedSignIns: 0, lockedUntil: undefined });
    this.commit(events);
  }
}

/** Sessions in a Map. Like DynamoDB before its TTL sweep, it keeps expired items until someone deletes them. */
export class InMemorySessionStore implements SessionStore {
  constructor(readonly items: Map<string, Session> = new Map()) {}
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
    lockedUntil: undefined,
    historyEntry: undefined,
    passwordHistory: [],
    version: 1,
    createdAt: START.toISOString(),
    updatedAt: START.toISOString(),
    ...overrides,
  };
}

export const actorFor = (admin: AdminRecord, sessionHash = 'a'.repeat(64), origin: Origin = ORIGIN): Actor => ({ admin, sessionHash, origin });

export type FakeDependencies = ReturnType<typeof fakeDependencies>;

/**
 * Everything a use case may ask for, wired to fresh fakes that share their tables as DynamoDB does: the directory
 * writes sessions, tokens and audit events in the same "transaction". The company COMPANY exists, with no feature
 * and no saved policy.
 */
export function fakeDependencies() {
  const tokens: TokenTable = new Map();
  const sessionItems = new Map<string, Session>();
  const auditLog = new InMemoryAuditLog();
  const directory = new InMemoryAdminDirectory(tokens, sessionItems, auditLog.events);
  directory.putCompany(companyRecord());
  return {
    directory,
    sessions: new InMemorySessionStore(sessionItems),
    challenges: new InMemoryChallengeStore(tokens),
    resetTokens: new InMemoryResetTokenStore(tokens),
    resetAttempts: new InMemoryAttemptLimiter(),
    mailer: new RecordingMailer(),
    auditLog,
    publicBaseUrl: 'https://admin.acme.example',
    hasher: new RecordingHasher(),
    clock: new FixedClock(),
    random: new CountingRandom(),
    lifetimes: LIFETIMES,
  };
}

/** Gives the company COMPANY a saved policy (the defaults with these changes) and, optionally, features. */
export function useCompanyPolicy(deps: FakeDependencies, overrides: Partial<PasswordPolicySettings>, features: readonly Feature[] = []): Company {
  const company = deps.directory.companies.get(COMPANY) ?? companyRecord();
  return deps.directory.putCompany({ ...company, features, passwordPolicy: policySettings(overrides) });
}

/** A live session of the admin in the fakes' session table, and the actor it authenticates as. */
export async function signedInActor(deps: FakeDependencies, admin: AdminRecord, origin: Origin = ORIGIN): Promise<Actor & { sessionToken: string }> {
  const { token, tokenHash } = issueToken(deps.random);
  const now = deps.clock.now();
  await deps.sessions.create({
    tokenHash,
    companyId: admin.companyId,
    adminId: admin.adminId,
    epoch: admin.sessionEpoch,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + LIFETIMES.sessionMinutes * 60_000).toISOString(),
  });
  return { admin, sessionHash: tokenHash, origin, sessionToken: token };
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
