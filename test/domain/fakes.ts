// Test support for the use-case tests: hand-written in-memory implementations of the ports (the four directory
// ports with the DynamoDB adapters' conditions, AuditLog, SessionStore, ChallengeStore, ...), a clock the test moves by hand,
// deterministic randomness and a recording hasher.
import { ATTEMPT_FIELDS, CREDENTIAL_FIELDS, PROFILE_FIELDS, activeMasterDelta, partOf, type AdminRecord } from '../../functions/domain/admin';
import type { AdminName, AuditEvent, AuditQuery, Origin } from '../../functions/domain/audit';
import type { BreachedPasswords } from '../../functions/domain/breached-passwords';
import type { Company, Feature, PasswordPolicySettings } from '../../functions/domain/company';
import { DomainError } from '../../functions/domain/errors';
import { createPasswordHasher, type PasswordHasher, type StoredPassword } from '../../functions/domain/password-hashing';
import { DEFAULT_PASSWORD_POLICY } from '../../functions/domain/password-policy';
import type {
  AddressedAccount,
  AdminAccounts,
  AdminListQuery,
  AdminNames,
  AdminPage,
  AttemptKey,
  AttemptLimiter,
  AuditLog,
  Challenge,
  ChallengeStore,
  Clock,
  CompanyStore,
  CredentialParts,
  CredentialStore,
  DeliverySuppressions,
  Mailer,
  RandomSource,
  Reservation,
  ResetClaim,
  ResetToken,
  ResetTokenStore,
  Session,
  SessionStore,
  SignInAttempts,
  SignInOpening,
} from '../../functions/domain/ports';
import {
  RESTARTED,
  RESTARTED_ACCOUNT,
  type AccountAttempts,
  type AttemptDecision,
  type AttemptGuard,
  type AttemptState,
  type ComparisonDecision,
  type HeldPlace,
  type OwnUnlock,
  type SuccessfulComparison,
} from '../../functions/domain/sign-in-attempts';
import { WriteRefused, type WriteRefusal } from '../../functions/domain/write-refusals';
import type { EmailMessage } from '../../functions/domain/emails';
import type { DeliverySuppression, MailTags } from '../../functions/domain/delivery';
import { issueToken } from '../../functions/domain/tokens';
import type { Actor } from '../../functions/use-cases/actor';
import type { Lifetimes } from '../../functions/use-cases/dependencies';
import { guessability } from '../../functions/wiring/guessability';

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
  async list(companyId: string, query: AuditQuery) {
    const after = query.cursor === undefined ? undefined : Buffer.from(query.cursor, 'base64url').toString('utf8');
    const matching = this.events
      .filter((event) => event.companyId === companyId)
      .filter((event) => query.adminId === undefined || (event.targetAdminId ?? event.actorAdminId) === query.adminId)
      .filter((event) => query.type === undefined || event.type === query.type)
      .filter((event) => (query.from === undefined || Date.parse(event.at) >= Date.parse(query.from)) && (query.to === undefined || Date.parse(event.at) <= Date.parse(query.to)))
      .sort((a, b) => (a.eventId < b.eventId ? 1 : a.eventId > b.eventId ? -1 : 0))
      .filter((event) => after === undefined || event.eventId < after);
    const items = matching.slice(0, query.limit);
    const last = items.at(-1);
    return { items, nextCursor: matching.length > query.limit && last ? Buffer.from(last.eventId, 'utf8').toString('base64url') : null };
  }
}

/** The directory's admins by id, as the audit log names them; counts the ids each call asked for. */
export class InMemoryAdminNames implements AdminNames {
  readonly asked: string[][] = [];
  constructor(private readonly directory: InMemoryDirectory) {}
  async namesOf(companyId: string, adminIds: readonly string[]): Promise<AdminName[]> {
    this.asked.push([...adminIds]);
    return adminIds.flatMap((adminId) => {
      const admin = this.directory.admins.get(key(companyId, adminId));
      return admin === undefined ? [] : [{ adminId, name: admin.name, email: admin.email }];
    });
  }
}

/**
 * The directory table in Maps, shared by the four in-memory ports below as the DynamoDB table is shared by their
 * adapters; tests arrange and read stored state through it. The ports only persist what the domain decided, with
 * the conditions of the DynamoDB adapters (the contract suites in test/contracts run both against the same tests).
 */
export class InMemoryDirectory {
  constructor(
    readonly tokens: TokenTable = new Map(),
    readonly sessions: Map<string, Session> = new Map(),
    /** The audit table the writes store their events in (shared with the InMemoryAuditLog of fakeDependencies). */
    readonly events: AuditEvent[] = [],
  ) {}
  readonly admins = new Map<string, AdminRecord>();
  readonly companies = new Map<string, Company>();
  /** Every comparison that took a place in an account's failure count, in order. */
  readonly reservations: { companyId: string; adminId: string }[] = [];
  /** The held reset claims (in the tokens table in DynamoDB), by company and admin. */
  readonly resetClaims = new Map<string, ResetClaim>();
  /** Every credential write that was applied. */
  readonly passwordWrites: { before: AdminRecord; after: AdminRecord; parts: CredentialParts }[] = [];
  /** Every profile save that was applied. */
  readonly profileUpdates: { adminId: string; readVersion: number; after: AdminRecord }[] = [];

  put(admin: AdminRecord): AdminRecord {
    this.admins.set(key(admin.companyId, admin.adminId), admin);
    return admin;
  }

  putCompany(company: Company): Company {
    this.companies.set(company.companyId, company);
    return company;
  }

  async getAdmin(companyId: string, adminId: string): Promise<AdminRecord | undefined> {
    return this.admins.get(key(companyId, adminId));
  }

  async getCompany(companyId: string): Promise<Company | undefined> {
    return this.companies.get(companyId);
  }

  /** Stores a write's events, as the adapters' transactions do with their audit parts. */
  commit(events: readonly AuditEvent[]): void {
    this.events.push(...events);
  }
}

/** Throws the refusals whose conditions failed, as a cancelled transaction does; nothing is stored then. */
function refuseIf(conditions: readonly [boolean, WriteRefusal][]): void {
  const failed = conditions.filter(([holds]) => !holds).map(([, refusal]) => refusal);
  if (failed.length > 0) throw new WriteRefused([...new Set(failed)]);
}

export class InMemoryCompanyStore implements CompanyStore {
  constructor(readonly table: InMemoryDirectory) {}
  async create(company: Company, events: readonly AuditEvent[]) {
    refuseIf([[!this.table.companies.has(company.companyId), 'COMPANY_EXISTS']]);
    this.table.putCompany(company);
    this.table.commit(events);
  }
  async get(companyId: string) {
    return this.table.companies.get(companyId);
  }
  async list() {
    return [...this.table.companies.values()];
  }
  async saveFeatures(before: Company, features: readonly Feature[], events: readonly AuditEvent[]) {
    const stored = this.table.companies.get(before.companyId);
    refuseIf([[stored !== undefined && JSON.stringify(stored.features) === JSON.stringify(before.features), 'FEATURES_MOVED']]);
    this.table.putCompany({ ...stored!, features: [...features] });
    this.table.commit(events);
  }
  async savePasswordPolicy(companyId: string, settings: PasswordPolicySettings, events: readonly AuditEvent[]) {
    const stored = this.table.companies.get(companyId);
    refuseIf([[stored !== undefined, 'COMPANY_MISSING']]);
    this.table.putCompany({ ...stored!, passwordPolicy: settings });
    this.table.commit(events);
  }
  async saveResetsPerDay(before: Company, resetsPerDay: number | undefined, events: readonly AuditEvent[]) {
    const stored = this.table.companies.get(before.companyId);
    refuseIf([[stored !== undefined && stored.resetsPerDay === before.resetsPerDay, 'RESETS_LIMIT_MOVED']]);
    const { resetsPerDay: _previous, ...rest } = stored!;
    this.table.putCompany({ ...rest, ...(resetsPerDay === undefined ? {} : { resetsPerDay }) });
    this.table.commit(events);
  }
}

/** The suppressed addresses, under the company as the adapter keeps them, with the adapter's conditions. */
export class InMemoryDeliverySuppressions implements DeliverySuppressions {
  readonly items = new Map<string, DeliverySuppression>();
  constructor(readonly table: InMemoryDirectory) {}
  async find(companyId: string, email: string) {
    return this.items.get(key(companyId, email));
  }
  async list(companyId: string, query: { limit: number; cursor?: string | undefined }) {
    const after = query.cursor === undefined ? undefined : Buffer.from(query.cursor, 'base64url').toString('utf8');
    const matching = [...this.items.values()]
      .filter((item) => item.companyId === companyId && (after === undefined || item.email > after))
      .sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
    const items = matching.slice(0, query.limit);
    const last = items.at(-1);
    return { items, nextCursor: matching.length > query.limit && last ? Buffer.from(last.email, 'utf8').toString('base64url') : null };
  }
  async suppress(suppression: DeliverySuppression, events: readonly AuditEvent[]) {
    refuseIf([
      [this.table.companies.has(suppression.companyId), 'COMPANY_MISSING'],
      [!this.items.has(key(suppression.companyId, suppression.email)), 'ALREADY_SUPPRESSED'],
    ]);
    this.items.set(key(suppression.companyId, suppression.email), suppression);
    this.table.commit(events);
  }
  async clear(companyId: string, email: string, events: readonly AuditEvent[]) {
    refuseIf([[this.items.has(key(companyId, email)), 'NOT_SUPPRESSED']]);
    this.items.delete(key(companyId, email));
    this.table.commit(events);
  }
}

export class InMemoryAdminAccounts implements AdminAccounts {
  constructor(readonly table: InMemoryDirectory) {}
  async get(companyId: string, adminId: string) {
    return this.table.admins.get(key(companyId, adminId));
  }
  async findByEmail(companyId: string, email: string) {
    return [...this.table.admins.values()].find((admin) => admin.companyId === companyId && admin.email === email);
  }
  async list(companyId: string, query: AdminListQuery): Promise<AdminPage> {
    const items = [...this.table.admins.values()].filter((admin) => admin.companyId === companyId).slice(0, query.limit);
    return { items, nextCursor: null };
  }
  /** The company part of a change: the count of active masters moved, never to none. */
  private countCondition(companyId: string, delta: number): [boolean, WriteRefusal] {
    const company = this.table.companies.get(companyId);
    if (company === undefined) return [false, 'COMPANY_MISSING'];
    return delta < 0 ? [company.activeMasterCount > 1, 'LAST_MASTER'] : [true, 'COMPANY_MISSING'];
  }
  private moveCount(companyId: string, delta: number): void {
    const company = this.table.companies.get(companyId)!;
    this.table.putCompany({ ...company, activeMasterCount: company.activeMasterCount + delta });
  }
  async create(admin: AdminRecord, events: readonly AuditEvent[]) {
    const delta = activeMasterDelta(undefined, admin);
    refuseIf([
      this.countCondition(admin.companyId, delta),
      [!this.table.admins.has(key(admin.companyId, admin.adminId)), 'ADMIN_ID_TAKEN'],
      [(await this.findByEmail(admin.companyId, admin.email)) === undefined, 'EMAIL_TAKEN'],
    ]);
    this.moveCount(admin.companyId, delta);
    this.table.put(admin);
    this.table.commit(events);
  }
  async saveProfile(before: AdminRecord, after: AdminRecord, events: readonly AuditEvent[]) {
    const stored = this.table.admins.get(key(before.companyId, before.adminId));
    const delta = activeMasterDelta(before, after);
    const holder = after.email === before.email ? undefined : await this.findByEmail(before.companyId, after.email);
    refuseIf([
      [stored !== undefined && stored.version === before.version, 'STALE_VERSION'],
      [holder === undefined, 'EMAIL_TAKEN'],
      ...(delta === 0 ? [] : [this.countCondition(before.companyId, delta)]),
    ]);
    this.moveCount(before.companyId, delta);
    // As the adapter: the profile part, and revoked sessions and killed links as increments of what is stored.
    const passwordVersionDelta = after.passwordVersion - before.passwordVersion;
    const saved = this.table.put({
      ...stored!,
      ...partOf(after, PROFILE_FIELDS),
      ...(passwordVersionDelta > 0 ? { resetLink: after.resetLink } : {}),
      sessionEpoch: stored!.sessionEpoch + (after.sessionEpoch - before.sessionEpoch),
      passwordVersion: stored!.passwordVersion + passwordVersionDelta,
    });
    this.table.profileUpdates.push({ adminId: saved.adminId, readVersion: before.version, after });
    this.table.commit(events);
  }
}

export class InMemoryCredentialStore implements CredentialStore {
  constructor(readonly table: InMemoryDirectory) {}
  async save(before: AdminRecord, after: AdminRecord, parts: CredentialParts, events: readonly AuditEvent[]) {
    const stored = this.table.admins.get(key(before.companyId, before.adminId));
    const requester = parts.requireActiveMaster && this.table.admins.get(key(parts.requireActiveMaster.companyId, parts.requireActiveMaster.adminId));
    if (requester !== undefined && requester.adminId === before.adminId && requester.companyId === before.companyId) throw new Error('a reset link is never its own requester\'s');
    // As the adapter: the email claim of the address, which is the admin holding it in the company.
    const claimHolder = (email: string) => [...this.table.admins.values()].find((admin) => admin.companyId === before.companyId && admin.email === email)?.adminId;
    refuseIf([
      [stored !== undefined && stored.passwordVersion === before.passwordVersion && stored.sessionEpoch === before.sessionEpoch, 'PASSWORD_MOVED'],
      [parts.keepSession === undefined || this.table.sessions.has(parts.keepSession), 'SESSION_GONE'],
      [parts.consumeToken === undefined || this.table.tokens.has(parts.consumeToken), 'TOKEN_USED'],
      [parts.requireActiveMaster === undefined || (requester !== undefined && requester.status === 'active' && requester.role === 'master'), 'REQUESTER_NOT_MASTER'],
      [parts.requireEmail === undefined || claimHolder(parts.requireEmail) === before.adminId, 'EMAIL_CHANGED'],
      [parts.endResetClaim === undefined || this.holds(parts.endResetClaim), 'CLAIM_LOST'],
    ]);
    if (parts.endResetClaim !== undefined) this.table.resetClaims.delete(key(parts.endResetClaim.companyId, parts.endResetClaim.adminId));
    if (parts.keepSession !== undefined) this.table.sessions.set(parts.keepSession, { ...this.table.sessions.get(parts.keepSession)!, epoch: after.sessionEpoch });
    if (parts.consumeToken !== undefined) this.table.tokens.delete(parts.consumeToken);
    if (parts.newSession !== undefined) this.table.sessions.set(parts.newSession.tokenHash, { ...parts.newSession, epoch: after.sessionEpoch });
    if (parts.issueResetToken !== undefined) this.table.tokens.set(parts.issueResetToken.tokenHash, parts.issueResetToken);
    // As the adapter: the credential part; the attempt counters only where the write restarts them.
    this.table.put({
      ...stored!,
      ...partOf(after, CREDENTIAL_FIELDS),
      ...(parts.restartAttempts === true ? partOf(after, ATTEMPT_FIELDS) : {}),
      ...(parts.newSession === undefined ? {} : { lastSignInAt: parts.newSession.createdAt }),
    });
    this.table.passwordWrites.push({ before, after, parts });
    this.table.commit(events);
  }
  private holds(claim: ResetClaim): boolean {
    return this.table.resetClaims.get(key(claim.companyId, claim.adminId))?.claimId === claim.claimId;
  }
  async claimReset(claim: ResetClaim, before: AdminRecord, now: Date) {
    const held = this.table.resetClaims.get(key(claim.companyId, claim.adminId));
    const stored = this.table.admins.get(key(before.companyId, before.adminId));
    refuseIf([
      [stored !== undefined && stored.passwordVersion === before.passwordVersion && stored.sessionEpoch === before.sessionEpoch, 'PASSWORD_MOVED'],
      [held === undefined || held.heldUntil <= now.toISOString(), 'RESET_IN_PROGRESS'],
    ]);
    this.table.resetClaims.set(key(claim.companyId, claim.adminId), claim);
  }
  async releaseReset(claim: ResetClaim) {
    if (this.holds(claim)) this.table.resetClaims.delete(key(claim.companyId, claim.adminId));
  }
  async upgradeHash(before: AdminRecord, password: StoredPassword) {
    const stored = this.table.admins.get(key(before.companyId, before.adminId));
    if (stored === undefined || stored.passwordVersion !== before.passwordVersion) return false;
    this.table.put({ ...stored, password });
    return true;
  }
}

export class InMemorySignInAttempts implements SignInAttempts {
  constructor(readonly table: InMemoryDirectory) {}
  async read(at: AttemptKey): Promise<AccountAttempts | undefined> {
    const stored = this.table.admins.get(key(at.companyId, at.adminId));
    return stored === undefined ? undefined : partOf(stored, ATTEMPT_FIELDS);
  }
  /** The adapter's condition for one count's place, on the counters stored (a count never stored reads as none). */
  private static guardHolds(stored: AttemptState | undefined, guard: AttemptGuard): boolean {
    const counters = stored ?? RESTARTED;
    switch (guard.kind) {
      case 'none':
        return true;
      case 'unlocked-below':
        return stored !== undefined && counters.lockedUntil === undefined && counters.failureWindowStartedAt === guard.window && counters.failedSignIns < guard.below;
      case 'exactly':
        return (
          counters.failedSignIns === guard.state.failedSignIns &&
          counters.failureWindowStartedAt === guard.state.failureWindowStartedAt &&
          counters.lockedUntil === guard.state.lockedUntil
        );
    }
  }
  /** As the adapter: a plain count is an increment of what is stored, anything else is written as decided. */
  private static placed(stored: AttemptState, place: Extract<AttemptDecision, { kind: 'reserve' }>): AttemptState {
    return place.guard.kind === 'exactly' ? place.next : { ...stored, failedSignIns: stored.failedSignIns + 1 };
  }
  /** The index is never behind here; test/domain/sign-in.test.ts hands in stale counters to show what a lagging one does. */
  async findByAddress(companyId: string, email: string): Promise<AddressedAccount | undefined> {
    const holder = [...this.table.admins.values()].find((admin) => admin.companyId === companyId && admin.email === email);
    return holder === undefined ? undefined : { companyId, adminId: holder.adminId, email, ...partOf(holder, ATTEMPT_FIELDS) };
  }
  async reserve(at: AttemptKey, reservation: Extract<ComparisonDecision, { kind: 'reserve' }>, holding?: string): Promise<Reservation> {
    const stored = this.table.admins.get(key(at.companyId, at.adminId));
    if (stored === undefined) return { reserved: false, stored: undefined };
    const { accountPlace, sourcePlace, source } = reservation;
    const storedSource = stored.sourceAttempts?.[source];
    const holds =
      (accountPlace === undefined || InMemorySignInAttempts.guardHolds(stored, accountPlace.guard)) &&
      (sourcePlace === undefined ||
        (reservation.firstSource
          ? stored.sourceAttempts === undefined
          : stored.sourceAttempts !== undefined && InMemorySignInAttempts.guardHolds(storedSource, sourcePlace.guard))) &&
      reservation.lapsed.every((lapsed) => stored.sourceAttempts?.[lapsed.source]?.failureWindowStartedAt === lapsed.window) &&
      (reservation.knownUntil === undefined || stored.knownSources?.[source] === reservation.knownUntil) &&
      (holding === undefined || stored.email === holding);
    if (!holds) return { reserved: false, stored };
    const sources = Object.fromEntries(Object.entries(stored.sourceAttempts ?? {}).filter(([other]) => !reservation.lapsed.some((lapsed) => lapsed.source === other)));
    if (sourcePlace !== undefined) sources[source] = InMemorySignInAttempts.placed(storedSource ?? RESTARTED, sourcePlace);
    const account = accountPlace === undefined ? {} : InMemorySignInAttempts.placed(stored, accountPlace);
    const admin = this.table.put({ ...stored, ...account, sourceAttempts: sourcePlace === undefined && stored.sourceAttempts === undefined ? undefined : sources });
    this.table.reservations.push({ companyId: at.companyId, adminId: at.adminId });
    return { reserved: true, admin };
  }
  private static givenBack(stored: AttemptState | undefined, place: HeldPlace): AttemptState | undefined {
    if (stored === undefined || stored.failedSignIns <= 0) return undefined;
    if (place.ownLock !== undefined) return stored.lockedUntil === place.ownLock ? { ...stored, failedSignIns: stored.failedSignIns - 1, lockedUntil: undefined } : undefined;
    return stored.failureWindowStartedAt === place.window ? { ...stored, failedSignIns: stored.failedSignIns - 1 } : undefined;
  }
  private static known(stored: AccountAttempts, known: { source: string; knownUntil: string; forget: readonly string[]; firstKnown: boolean }) {
    if (known.firstKnown) return { [known.source]: known.knownUntil };
    return { ...Object.fromEntries(Object.entries(stored.knownSources ?? {}).filter(([source]) => !known.forget.includes(source))), [known.source]: known.knownUntil };
  }
  async giveBack(at: AttemptKey, success: SuccessfulComparison, events: readonly AuditEvent[], opening?: SignInOpening) {
    const stored = this.table.admins.get(key(at.companyId, at.adminId));
    if (stored === undefined) throw new Error('the admin item is gone: the success was not stored');
    if (opening !== undefined && 'session' in opening) this.table.sessions.set(opening.session.tokenHash, opening.session);
    if (opening !== undefined && 'challenge' in opening) this.table.tokens.set(opening.challenge.tokenHash, opening.challenge);
    const source = success.sourcePlace === undefined ? undefined : InMemorySignInAttempts.givenBack(stored.sourceAttempts?.[success.source], success.sourcePlace);
    const account = success.accountPlace === undefined ? undefined : InMemorySignInAttempts.givenBack(stored, success.accountPlace);
    const allHeld = (success.sourcePlace === undefined || source !== undefined) && (success.accountPlace === undefined || account !== undefined);
    this.table.put({
      ...stored,
      ...(allHeld ? (account ?? {}) : {}),
      ...(allHeld && source !== undefined ? { sourceAttempts: { ...stored.sourceAttempts, [success.source]: source } } : {}),
      knownSources: InMemorySignInAttempts.known(stored, success),
      ...(opening !== undefined && 'session' in opening ? { lastSignInAt: opening.session.createdAt } : {}),
    });
    this.table.commit(events);
  }
  async unlock(at: AttemptKey, events: readonly AuditEvent[]) {
    const stored = this.table.admins.get(key(at.companyId, at.adminId));
    if (stored === undefined) return false;
    this.table.put({ ...stored, ...RESTARTED, sourceAttempts: {} });
    this.table.commit(events);
    return true;
  }
  async unlockOwnSource(at: AttemptKey, unlock: OwnUnlock, events: readonly AuditEvent[]) {
    const stored = this.table.admins.get(key(at.companyId, at.adminId));
    if (stored === undefined) return false;
    const sources = stored.sourceAttempts === undefined ? undefined : Object.fromEntries(Object.entries(stored.sourceAttempts).filter(([source]) => source !== unlock.source));
    this.table.put({ ...stored, sourceAttempts: sources, knownSources: InMemorySignInAttempts.known(stored, unlock) });
    this.table.commit(events);
    return true;
  }
  /** Costs nothing here: only the adapter's round trips are worth equalising. */
  async decoy() {
    this.decoys += 1;
  }
  decoys = 0;
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

/** Counts attempts per client and fixed window (aligned on the epoch, as the adapter's), with the adapter's conditions. */
export class InMemoryAttemptLimiter implements AttemptLimiter {
  readonly counts = new Map<string, number>();
  constructor(
    readonly maxAttempts = 10,
    readonly windowMinutes = 15,
  ) {}
  private windowOf(now: Date): number {
    return Math.floor(now.getTime() / (this.windowMinutes * 60_000));
  }
  /** The count of the client in the window holding `now`. */
  countOf(clientKey: string, now: Date): number {
    return this.counts.get(`${clientKey}#${this.windowOf(now)}`) ?? 0;
  }
  async take(clientKey: string, now: Date, limit = this.maxAttempts) {
    const slot = `${clientKey}#${this.windowOf(now)}`;
    const count = this.counts.get(slot) ?? 0;
    if (count >= limit) return false;
    this.counts.set(slot, count + 1);
    return true;
  }
  async giveBack(clientKey: string, now: Date) {
    const slot = `${clientKey}#${this.windowOf(now)}`;
    const count = this.counts.get(slot) ?? 0;
    if (count > 0) this.counts.set(slot, count - 1);
  }
  windowEndsAt(now: Date): Date {
    return new Date((this.windowOf(now) + 1) * this.windowMinutes * 60_000);
  }
}

/** Keeps what it was asked to send; `failWith` makes the next sends fail as SES would. */
export class RecordingMailer implements Mailer {
  readonly sent: { to: string; message: EmailMessage; tags: MailTags }[] = [];
  failWith: Error | undefined;
  async send(to: string, message: EmailMessage, tags: MailTags) {
    if (this.failWith) throw this.failWith;
    this.sent.push({ to, message, tags });
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
    ...RESTARTED_ACCOUNT,
    historyEntry: undefined,
    passwordHistory: [],
    resetLink: undefined,
    lastSignInAt: undefined,
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
  const directory = new InMemoryDirectory(tokens, sessionItems, auditLog.events);
  directory.putCompany(companyRecord());
  return {
    directory,
    companies: new InMemoryCompanyStore(directory),
    admins: new InMemoryAdminAccounts(directory),
    credentials: new InMemoryCredentialStore(directory),
    attempts: new InMemorySignInAttempts(directory),
    sessions: new InMemorySessionStore(sessionItems),
    challenges: new InMemoryChallengeStore(tokens),
    resetTokens: new InMemoryResetTokenStore(tokens),
    resetAttempts: new InMemoryAttemptLimiter(),
    resetLimits: { perMaster: new InMemoryAttemptLimiter(10, 60), perTarget: new InMemoryAttemptLimiter(3, 60), perCompany: new InMemoryAttemptLimiter(50, 24 * 60) },
    mailer: new RecordingMailer(),
    suppressions: new InMemoryDeliverySuppressions(directory),
    auditLog,
    adminNames: new InMemoryAdminNames(directory),
    publicBaseUrl: 'https://admin.acme.example',
    hasher: new RecordingHasher(),
    // The use cases under test judge guessability as the deployed functions do.
    guessability,
    // Off, as a deployment leaves it by default; test/domain/breached-passwords.test.ts turns it on.
    breachedPasswords: undefined as BreachedPasswords | undefined,
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
