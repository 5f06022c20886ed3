// Entry point: `npm run bursts -- [--api URL] [--inbox URL] [--dynamodb URL] [--lapse]`. Issue 9's bursts (and issue 10's lockout-as-a-weapon) replayed
// from outside against a running `npm start`, as the outside tester sent them: over HTTP only, with the operator's
// CLI for what only the operator can do, and the SES emulator's store as the inbox. Each invariant gets one line,
// PASS or FAIL, with the requests sent, the answers by status and the time taken; exit 1 if any failed.
// It judges by what the API stores (GET /admins, GET /audit-events, sign-ins), never by reading DynamoDB behind it.
// No password or token is ever printed.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sendFrom } from '../local/send-from';

const USAGE = `usage: npm run bursts -- [--api URL] [--inbox URL] [--dynamodb URL] [--lapse]

  --api URL        the API of \`npm start\` (default http://127.0.0.1:3000)
  --inbox URL      its SES emulator, read through GET /store (default http://127.0.0.1:8005)
  --dynamodb URL   its DynamoDB Local, for the operator's CLI only (default http://127.0.0.1:8000)
  --lapse          also the failure count after a lapsed lock (waits about 70 s)

Only addresses on 127.0.0.1 are accepted: the bursts create companies and lock accounts.`;

const ROOT = join(import.meta.dirname, '..');

/** Bounds, so a broken stack cannot keep this running or flooding: each request, each burst, the whole run. */
const REQUEST_TIMEOUT_MS = 40_000; // the local server answers within API Gateway's 29 s, busy or not
const MAX_REQUESTS_PER_BURST = 250;
const RUN_BUDGET_MS = 8 * 60_000;
const LAPSE_EXTRA_MS = 3 * 60_000;

/** Sizes of the bursts, as issue 9 describes them. */
const LAST_MASTER_PAIRS = 10;
const LOCKOUT_ROUNDS = 6;
const DEFAULT_LOCKOUT_THRESHOLD = 10;
const PARALLEL_CREATES = 20;
const PARALLEL_COMPLETIONS = 10;
const LAPSE_THRESHOLD = 3;

// ---- arguments

interface Options {
  readonly api: string;
  readonly inbox: string;
  readonly dynamoDb: string;
  readonly lapse: boolean;
}

class UsageError extends Error {}

/** A base URL on 127.0.0.1 only: these bursts are for the local stack and nothing else. */
function localUrl(raw: string, flag: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--${flag}: not a URL: ${raw}`);
  }
  if (url.protocol !== 'http:' || url.hostname !== '127.0.0.1') throw new UsageError(`--${flag}: only http://127.0.0.1:<port> is accepted, not ${url.origin}`);
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') throw new UsageError(`--${flag}: give the base URL alone (${url.origin})`);
  return url.origin;
}

function parseOptions(args: readonly string[]): Options | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      options: {
        api: { type: 'string', default: 'http://127.0.0.1:3000' },
        inbox: { type: 'string', default: 'http://127.0.0.1:8005' },
        dynamodb: { type: 'string', default: 'http://127.0.0.1:8000' },
        lapse: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';
  return { api: localUrl(values.api, 'api'), inbox: localUrl(values.inbox, 'inbox'), dynamoDb: localUrl(values.dynamodb, 'dynamodb'), lapse: values.lapse };
}

// ---- HTTP, counted per burst

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: any;
}

const codeOf = (answer: Answer): string | undefined => answer.body?.error?.code;
const describe = (answer: Answer): string => `${answer.status}${codeOf(answer) ? ` ${codeOf(answer)}` : ''}`;

/** The run's deadline: every request is aborted once it passes, and the burst then fails on it. */
const runDeadline = new AbortController();

/** Requests sent during one burst and their answers by status (0: no answer: timeout, reset connection). */
class Traffic {
  sent = 0;
  readonly byStatus = new Map<number, number>();

  record(status: number): void {
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
  }

  serverErrors(): number {
    return [...this.byStatus].filter(([status]) => status >= 500 || status === 0).reduce((sum, [, count]) => sum + count, 0);
  }

  summary(): string {
    const statuses = [...this.byStatus].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`);
    return `${this.sent} requests (${statuses.join(' ') || 'none'})`;
  }
}

class Api {
  constructor(
    private readonly base: string,
    readonly traffic: Traffic,
  ) {}

  /** `from` sends from another loopback address (127.0.0.2 and up), which the server sees as another client. */
  async request(method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string>; from?: string } = {}): Promise<Answer> {
    // A bounded number of requests: a loop gone wrong must not turn a replay into a flood.
    if (this.traffic.sent >= MAX_REQUESTS_PER_BURST) throw new Error(`more than ${MAX_REQUESTS_PER_BURST} requests in one burst`);
    this.traffic.sent += 1;
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    try {
      if (options.from !== undefined) {
        const sent = await sendFrom(options.from, this.base + path, {
          method,
          headers,
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: AbortSignal.any([runDeadline.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
        });
        this.traffic.record(sent.status);
        return { ...sent, body: parseJson(sent.text) };
      }
      const response = await fetch(this.base + path, {
        method,
        headers,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        signal: AbortSignal.any([runDeadline.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
      });
      const text = await response.text();
      this.traffic.record(response.status);
      return { status: response.status, headers: response.headers, text, body: parseJson(text) };
    } catch (error) {
      this.traffic.record(0);
      throw new Error(`${method} ${path.replace(/\?.*/, '')}: no answer (${(error as Error).name})`);
    }
  }
}

function parseJson(text: string): any {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Sends every request at once and waits for all; a request without an answer becomes status 0. */
async function together(requests: readonly (() => Promise<Answer>)[]): Promise<Answer[]> {
  const settled = await Promise.allSettled(requests.map((send) => send()));
  return settled.map((result) =>
    result.status === 'fulfilled' ? result.value : { status: 0, headers: new Headers(), text: String(result.reason), body: undefined },
  );
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));
const tally = (answers: readonly Answer[]): string => {
  const counts = new Map<string, number>();
  for (const answer of answers) counts.set(describe(answer), (counts.get(describe(answer)) ?? 0) + 1);
  return [...counts].map(([what, count]) => `${what}×${count}`).join(', ');
};

// ---- the people and the inbox

/** A password the default policy accepts, free of every name, email and company id used here. Never printed. */
const freshPassword = (): string => `meadow ${randomBytes(6).toString('hex')} lantern river`;
const suffix = (): string => randomBytes(3).toString('hex');

interface Person {
  readonly adminId: string;
  readonly email: string;
  token: string;
  password: string;
}

interface Context {
  readonly options: Options;
  readonly companyId: string;
  /** A master with a live session; the last-master burst hands over to whoever is left. */
  master: Person;
}

interface StoredEmail {
  readonly destination: { to: string[] };
  readonly subject: string;
  readonly body: { text?: string };
}

async function emailsTo(inbox: string, address: string): Promise<StoredEmail[]> {
  const response = await fetch(`${inbox}/store`, { signal: AbortSignal.any([runDeadline.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]) });
  const { emails } = (await response.json()) as { emails: StoredEmail[] };
  return emails.filter((email) => email.destination.to.some((to) => to.toLowerCase().includes(address.toLowerCase())));
}

/** The token of the newest link emailed to the address (the emulator stores a send before SES answers it). */
async function linkTokenFor(inbox: string, address: string): Promise<string> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const text = (await emailsTo(inbox, address)).at(-1)?.body.text ?? '';
    const token = /\/password-reset#token=([A-Za-z0-9_-]+)/.exec(text)?.[1];
    if (token !== undefined) return token;
    await sleep(100);
  }
  throw new Error(`no link emailed to ${address}`);
}

/** Signs in with a temporary password and answers the NEW_PASSWORD_REQUIRED challenge with a fresh password. */
async function replaceTemporary(api: Api, companyId: string, admin: { adminId: string; email: string; temporaryPassword: string }): Promise<Person> {
  const first = await api.request('POST', '/sign-in', { body: { companyId, email: admin.email, password: admin.temporaryPassword } });
  if (first.body?.challenge !== 'NEW_PASSWORD_REQUIRED') throw new Error(`sign-in of ${admin.email}: expected the challenge, got ${describe(first)}`);
  const password = freshPassword();
  const second = await api.request('POST', '/sign-in/new-password', { body: { challengeToken: first.body.challengeToken, newPassword: password } });
  if (second.status !== 200) throw new Error(`new password of ${admin.email}: ${describe(second)}`);
  return { adminId: admin.adminId, email: admin.email, token: second.body.sessionToken, password };
}

async function signIn(api: Api, companyId: string, email: string, password: string): Promise<Answer> {
  return api.request('POST', '/sign-in', { body: { companyId, email, password } });
}

/** A new administrator (POST /admins), still holding his temporary password. */
async function createAdmin(api: Api, ctx: Context, role: 'master' | 'general', label: string) {
  const email = `${label}-${suffix()}@bursts.example`;
  const temporaryPassword = freshPassword();
  const answer = await api.request('POST', '/admins', {
    token: ctx.master.token,
    body: { email, name: `Tess ${label}`, role, canChangeOwnPassword: false, temporaryPassword },
  });
  if (answer.status !== 201) throw new Error(`POST /admins (${role}): ${describe(answer)}`);
  return { adminId: answer.body.adminId as string, email, temporaryPassword };
}

/** A new administrator who has set his own password, with a session. */
async function signedInAdmin(api: Api, ctx: Context, role: 'master' | 'general', label: string): Promise<Person> {
  return replaceTemporary(api, ctx.companyId, await createAdmin(api, ctx, role, label));
}

async function adminAsStored(api: Api, ctx: Context, adminId: string): Promise<any> {
  const answer = await api.request('GET', `/admins/${adminId}`, { token: ctx.master.token });
  if (answer.status !== 200) throw new Error(`GET /admins/${adminId}: ${describe(answer)}`);
  return answer.body;
}

/** Every administrator of the company, paged through GET /admins. */
async function allAdmins(api: Api, token: string): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | undefined;
  do {
    const answer = await api.request('GET', `/admins?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
    if (answer.status !== 200) throw new Error(`GET /admins: ${describe(answer)}`);
    items.push(...answer.body.items);
    cursor = answer.body.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return items;
}

const activeMasters = (admins: readonly any[]) => admins.filter((admin) => admin.role === 'master' && admin.status === 'active');

/** An administrator's audit events, newest first, paged through GET /audit-events?adminId=. */
async function auditEventsOf(api: Api, ctx: Context, adminId: string): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | undefined;
  do {
    const answer = await api.request('GET', `/audit-events?adminId=${adminId}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: ctx.master.token });
    if (answer.status !== 200) throw new Error(`GET /audit-events: ${describe(answer)}`);
    items.push(...answer.body.items);
    cursor = answer.body.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return items;
}

/** The audit events oldest first, runs of the same kind folded: `SIGN_IN_FAILED/WRONG_PASSWORD×5, SIGN_IN_SUCCEEDED, …`. */
function auditSequence(newestFirst: readonly any[]): string {
  const runs: { kind: string; count: number }[] = [];
  for (const event of [...newestFirst].reverse()) {
    const kind = event.details?.reason ? `${event.type}/${event.details.reason}` : event.type;
    const last = runs.at(-1);
    if (last !== undefined && last.kind === kind) last.count += 1;
    else runs.push({ kind, count: 1 });
  }
  return runs.map(({ kind, count }) => (count > 1 ? `${kind}×${count}` : kind)).join(', ');
}

/** The longest run of WRONG_PASSWORD failures with no successful sign-in between them (a success restarts the count). */
function longestRunWithoutSuccess(newestFirst: readonly any[]): number {
  let longest = 0;
  let current = 0;
  for (const event of [...newestFirst].reverse()) {
    if (event.type === 'SIGN_IN_SUCCEEDED') current = 0;
    else if (event.type === 'SIGN_IN_FAILED' && event.details?.reason === 'WRONG_PASSWORD') longest = Math.max(longest, (current += 1));
  }
  return longest;
}

const wrongPasswordsCompared = (events: readonly any[]) =>
  events.filter((event) => event.type === 'SIGN_IN_FAILED' && event.details?.reason === 'WRONG_PASSWORD').length;

/** The policy as GET shows it, minus the read-only maxLength: what PUT /company/password-policy takes whole. */
async function setPolicy(api: Api, ctx: Context, change: Record<string, unknown>): Promise<void> {
  const current = await api.request('GET', '/company/password-policy', { token: ctx.master.token });
  if (current.status !== 200) throw new Error(`GET /company/password-policy: ${describe(current)}`);
  const { maxLength: _readOnly, ...settings } = current.body.policy;
  const answer = await api.request('PUT', '/company/password-policy', { token: ctx.master.token, body: { ...settings, ...change } });
  if (answer.status !== 200) throw new Error(`PUT /company/password-policy: ${describe(answer)}`);
}

/** `npm run ops -- …` against the stack under test, as the service operator types it; its output is shown. */
async function operator(options: Options, ...args: string[]): Promise<void> {
  const env = {
    ...process.env,
    PORT: new URL(options.api).port || '80',
    SES_PORT: new URL(options.inbox).port || '80',
    DYNAMODB_PORT: new URL(options.dynamoDb).port || '80',
  };
  const child = spawn('npm', ['run', '--silent', 'ops', '--', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  for (const line of output.trim().split('\n')) console.log(`  ops ${args[0]}: ${line}`);
  if (code !== 0) throw new Error(`npm run ops -- ${args[0]} exited ${code}`);
}

// ---- verdicts

interface Verdict {
  readonly name: string;
  readonly pass: boolean;
  readonly line: string;
}

/** Runs one burst with its own traffic count and clock; an exception (no answer, a set-up step refused) is a FAIL. */
async function burst(name: string, body: (api: Api, problems: string[], notes: string[]) => Promise<void>, options: Options): Promise<Verdict> {
  const traffic = new Traffic();
  const api = new Api(options.api, traffic);
  const problems: string[] = [];
  const notes: string[] = [];
  const started = performance.now();
  try {
    await body(api, problems, notes);
  } catch (error) {
    problems.push(`stopped: ${(error as Error).message}`);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const pass = problems.length === 0;
  const details = [...notes, ...problems.map((problem) => `FAIL: ${problem}`)].map((text) => `\n    ${text}`).join('');
  return { name, pass, line: `${pass ? 'PASS' : 'FAIL'}  ${name}: ${traffic.summary()}, ${seconds} s${details}` };
}

// ---- 0. set-up, as an outside operator and the first master would do it

async function setUp(api: Api, options: Options): Promise<Context> {
  const companyId = `bursts-${suffix()}`;
  const masterEmail = `first-${suffix()}@bursts.example`;
  await operator(options, 'create-company', '--id', companyId, '--name', 'Burst Proof Inc', '--master-email', masterEmail, '--master-name', 'Tess First');
  // The set-up link completes through the Password Change Screen's API, like any reset link.
  const token = await linkTokenFor(options.inbox, masterEmail);
  const password = freshPassword();
  const completed = await api.request('POST', '/password-reset/complete', { body: { token, newPassword: password, confirmPassword: password } });
  if (completed.status !== 204) throw new Error(`set-up link: ${describe(completed)}`);
  const session = await signIn(api, companyId, masterEmail, password);
  if (session.status !== 200 || !session.body.sessionToken) throw new Error(`first master's sign-in: ${describe(session)}`);
  const ctx: Context = { options, companyId, master: { adminId: session.body.admin.adminId, email: masterEmail, token: session.body.sessionToken, password } };
  // The lapse burst changes the policy, which only an enabled company may do.
  await operator(options, 'enable-feature', '--company', companyId, '--feature', 'password-policy');
  return ctx;
}

// ---- 1. last master

/**
 * Promote and disable one general together, ten times, then every active master demotes himself in turn. The
 * company must keep an active master throughout, the last self-demotion must be 409 LAST_MASTER, and each answer
 * that said yes must show in the stored admin.
 */
async function lastMasterIsKept(api: Api, ctx: Context, problems: string[], notes: string[]): Promise<void> {
  const second = await signedInAdmin(api, ctx, 'master', 'second-master');
  const sessions = new Map<string, Person>([[ctx.master.adminId, ctx.master], [second.adminId, second]]);
  const generals = new Map<string, { adminId: string; email: string; temporaryPassword: string }>();
  const pairs: string[] = [];
  for (let pair = 0; pair < LAST_MASTER_PAIRS; pair += 1) {
    const general = await createAdmin(api, ctx, 'general', `general-${pair}`);
    generals.set(general.adminId, general);
    const etag = (await api.request('GET', `/admins/${general.adminId}`, { token: ctx.master.token })).headers.get('etag') ?? '';
    const [promote, disable] = await together([
      () => api.request('PATCH', `/admins/${general.adminId}`, { token: ctx.master.token, headers: { 'if-match': etag }, body: { role: 'master' } }),
      () => api.request('DELETE', `/admins/${general.adminId}`, { token: ctx.master.token }),
    ]);
    const stored = await adminAsStored(api, ctx, general.adminId);
    pairs.push(`${describe(promote!)}/${describe(disable!)}`);
    // A disable answered 204 leaves him disabled; a promote answered 200 leaves him a master (a disable does not
    // demote). Refused ones must have left no trace.
    const promoted = promote!.status === 200;
    const disabled = disable!.status === 204;
    if ((stored.role === 'master') !== promoted) problems.push(`pair ${pair}: promote answered ${describe(promote!)} but the stored role is ${stored.role}`);
    if ((stored.status === 'disabled') !== disabled) problems.push(`pair ${pair}: disable answered ${describe(disable!)} but the stored status is ${stored.status}`);
    for (const answer of [promote!, disable!]) if (answer.status >= 500 || answer.status === 0) problems.push(`pair ${pair}: ${describe(answer)}`);
    const masters = activeMasters(await allAdmins(api, ctx.master.token)).length;
    if (masters < 1) problems.push(`pair ${pair}: no active master left`);
  }
  notes.push(`promote/disable pairs: ${tallyStrings(pairs)}`);

  // Each master left demotes himself; a promoted general who is still active signs in first to do so.
  const masters = activeMasters(await allAdmins(api, ctx.master.token));
  const demotions: string[] = [];
  for (const [index, master] of masters.entries()) {
    let person = sessions.get(master.adminId);
    if (person === undefined) person = await replaceTemporary(api, ctx.companyId, generals.get(master.adminId)!);
    const current = await api.request('GET', `/admins/${master.adminId}`, { token: person.token });
    const answer = await api.request('PATCH', `/admins/${master.adminId}`, { token: person.token, headers: { 'if-match': current.headers.get('etag') ?? '' }, body: { role: 'general' } });
    demotions.push(describe(answer));
    const isLast = index === masters.length - 1;
    if (isLast && !(answer.status === 409 && codeOf(answer) === 'LAST_MASTER')) problems.push(`the last master's self-demotion answered ${describe(answer)}, not 409 LAST_MASTER`);
    if (!isLast && answer.status !== 200) problems.push(`self-demotion ${index + 1} of ${masters.length} answered ${describe(answer)} while other masters were active`);
    if (isLast) ctx.master = person;
  }
  const left = activeMasters(await allAdmins(api, ctx.master.token));
  if (left.length !== 1) problems.push(`${left.length} active masters at the end, not 1`);
  notes.push(`self-demotions of the ${masters.length} active masters, in turn: ${demotions.join(', ')}; active masters at the end: ${left.length}`);
}

function tallyStrings(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([value, count]) => `${value}×${count}`).join(', ');
}

// ---- 2. lockout burst

/**
 * Eleven wrong passwords and the right one together, on a fresh account per round, at the default threshold 10:
 * at most 10 compared (the audit's WRONG_PASSWORD failures), and 10 compared means locked, right password or not.
 */
async function lockoutHoldsUnderBurst(api: Api, ctx: Context, problems: string[], notes: string[]): Promise<void> {
  let rightGotIn = 0;
  let endedLocked = 0;
  const compared: number[] = [];
  for (let round = 0; round < LOCKOUT_ROUNDS; round += 1) {
    const target = await signedInAdmin(api, ctx, 'general', `lockout-${round}`);
    const wrong = Array.from({ length: DEFAULT_LOCKOUT_THRESHOLD + 1 }, () => () => signIn(api, ctx.companyId, target.email, freshPassword()));
    // The right password goes in the middle of the burst, where the old code let it clear the burst's lock.
    const requests = [...wrong.slice(0, 6), () => signIn(api, ctx.companyId, target.email, target.password), ...wrong.slice(6)];
    const answers = await together(requests);
    const right = answers[6]!;
    const events = await auditEventsOf(api, ctx, target.adminId);
    const count = wrongPasswordsCompared(events);
    const stored = await adminAsStored(api, ctx, target.adminId);
    compared.push(count);
    if (right.status === 200) rightGotIn += 1;
    if (stored.locked === true) endedLocked += 1;
    if (count > DEFAULT_LOCKOUT_THRESHOLD) problems.push(`round ${round}: ${count} wrong passwords compared, threshold ${DEFAULT_LOCKOUT_THRESHOLD}`);
    if (count >= DEFAULT_LOCKOUT_THRESHOLD && stored.locked !== true) problems.push(`round ${round}: ${count} compared but the account is not locked (right password: ${describe(right)})`);
    for (const answer of answers) if (answer.status >= 500 || answer.status === 0) problems.push(`round ${round}: ${describe(answer)}`);
    notes.push(`round ${round}: ${tally(answers)}; wrong compared ${count} (longest run between successes ${longestRunWithoutSuccess(events)}); right password ${right.status === 200 ? 'got in' : `refused (${describe(right)})`}; ${stored.locked ? 'locked' : 'not locked'}`);
    // On a violation, the order in which the service judged the burst, as its audit log tells it.
    if (problems.some((problem) => problem.startsWith(`round ${round}:`))) notes.push(`round ${round} audit, oldest first: ${auditSequence(events)}`);
  }
  notes.push(`right password got in ${rightGotIn} of ${LOCKOUT_ROUNDS} rounds; ended locked ${endedLocked} of ${LOCKOUT_ROUNDS}; most compared ${Math.max(...compared)}`);
}

// ---- 3. failure count after a lapsed lock

/**
 * Lock an account (threshold 3, 1 minute) with a burst, wait for the lock to lapse, send one wrong password: the
 * count starts afresh, so the account stays unlocked and the right password then signs in.
 */
async function countRestartsAfterLapse(api: Api, ctx: Context, problems: string[], notes: string[]): Promise<void> {
  await setPolicy(api, ctx, { lockoutThreshold: LAPSE_THRESHOLD, lockoutMinutes: 1 });
  try {
    const target = await signedInAdmin(api, ctx, 'general', 'lapse');
    const burstAnswers = await together(Array.from({ length: LAPSE_THRESHOLD + 2 }, () => () => signIn(api, ctx.companyId, target.email, freshPassword())));
    const locked = await adminAsStored(api, ctx, target.adminId);
    notes.push(`lock burst: ${tally(burstAnswers)}; ${locked.locked ? 'locked' : 'NOT locked'}`);
    if (locked.locked !== true || locked.lockedUntil === null) {
      problems.push(`the burst of ${LAPSE_THRESHOLD + 2} wrong passwords did not lock the account`);
      return;
    }
    // Until the lock has lapsed by the server's clock, with a margin for clock skew between here and there.
    const wait = Math.min(90_000, Math.max(0, Date.parse(locked.lockedUntil) - Date.now()) + 3_000);
    await sleep(wait);
    const oneWrong = await signIn(api, ctx.companyId, target.email, freshPassword());
    const afterWrong = await adminAsStored(api, ctx, target.adminId);
    const right = await signIn(api, ctx.companyId, target.email, target.password);
    notes.push(`waited ${(wait / 1000).toFixed(0)} s; one wrong: ${describe(oneWrong)}, then ${afterWrong.locked ? 'locked' : 'not locked'}; right password: ${describe(right)}`);
    if (afterWrong.locked === true) problems.push('one wrong password after the lapse locked the account again');
    if (right.status !== 200 || !right.body?.sessionToken) problems.push(`the right password after the lapse answered ${describe(right)}`);
  } finally {
    // Back to the defaults, so the other bursts see the threshold the issue describes.
    await setPolicy(api, ctx, { lockoutThreshold: DEFAULT_LOCKOUT_THRESHOLD, lockoutMinutes: 15 });
  }
}

// ---- 4. no lies under load

/** What an answer promises about its write: done (2xx), none (a refusal, or "nothing was changed"), maybe (503 OUTCOME_UNKNOWN: check), or nothing documented. */
function promiseOf(answer: Answer): 'done' | 'none' | 'maybe' | 'unexplained' {
  if (answer.status >= 200 && answer.status < 300) return 'done';
  if (answer.status === 503 && codeOf(answer) === 'OUTCOME_UNKNOWN') return 'maybe';
  if (answer.status === 503 && codeOf(answer) === 'SERVICE_BUSY') return 'none';
  if (answer.status === 500 && /nothing was changed/i.test(answer.body?.error?.message ?? '')) return 'none';
  if (answer.status >= 400 && answer.status < 500) return 'none';
  return 'unexplained';
}

/**
 * Twenty POST /admins at once (bcrypt cost 12 each), then ten completions of one reset link with different
 * passwords: every answer must match what was stored.
 */
async function answersMatchStoredState(api: Api, ctx: Context, problems: string[], notes: string[]): Promise<void> {
  const emails = Array.from({ length: PARALLEL_CREATES }, (_, index) => `load-${index}-${suffix()}@bursts.example`);
  const creates = await together(
    emails.map((email, index) => () => api.request('POST', '/admins', { token: ctx.master.token, body: { email, name: `Tess Load ${index}`, role: 'general', canChangeOwnPassword: false, temporaryPassword: freshPassword() } })),
  );
  const stored = new Map((await allAdmins(api, ctx.master.token)).map((admin) => [admin.email, admin]));
  let maybeApplied = 0;
  for (const [index, answer] of creates.entries()) {
    const exists = stored.has(emails[index]!);
    const promise = promiseOf(answer);
    if (promise === 'done' && (!exists || stored.get(emails[index]!)!.adminId !== answer.body?.adminId)) problems.push(`POST /admins answered ${describe(answer)} but the admin is not stored`);
    if (promise === 'none' && exists) problems.push(`POST /admins answered ${describe(answer)} ("nothing was changed") but the admin exists`);
    if (promise === 'maybe' && exists) maybeApplied += 1;
    if (promise === 'unexplained') problems.push(`POST /admins answered ${describe(answer)}: not a documented outcome`);
  }
  notes.push(`${PARALLEL_CREATES} parallel POST /admins: ${tally(creates)}${maybeApplied > 0 ? `; ${maybeApplied} answered OUTCOME_UNKNOWN were applied` : ''}`);

  const target = await createAdmin(api, ctx, 'general', 'reset-race');
  const resetTo = `race-${suffix()}@bursts.example`;
  const requested = await api.request('POST', `/admins/${target.adminId}/password-reset`, { token: ctx.master.token, body: { email: resetTo } });
  if (requested.status !== 202) throw new Error(`password reset: ${describe(requested)}`);
  const token = await linkTokenFor(ctx.options.inbox, resetTo);
  const passwords = Array.from({ length: PARALLEL_COMPLETIONS }, () => freshPassword());
  const completions = await together(passwords.map((password) => () => api.request('POST', '/password-reset/complete', { body: { token, newPassword: password, confirmPassword: password } })));
  const winners = completions.flatMap((answer, index) => (promiseOf(answer) === 'done' ? [index] : []));
  // The winner's password first: nine wrong ones after it stay under the lockout threshold either way.
  const order = [...winners, ...passwords.keys()].filter((index, at, all) => all.indexOf(index) === at);
  const opens: number[] = [];
  for (const index of order) if ((await signIn(api, ctx.companyId, target.email, passwords[index]!)).status === 200) opens.push(index);
  if (winners.length !== 1) problems.push(`${PARALLEL_COMPLETIONS} completions of one link: ${winners.length} answered 2xx, not exactly 1`);
  if (opens.length !== 1 || opens[0] !== winners[0]) {
    const answersOfOpeners = opens.map((index) => describe(completions[index]!)).join(', ') || 'none';
    problems.push(`passwords that sign in: ${opens.length} (their completions answered ${answersOfOpeners}); the 2xx one's password must be the only one`);
  }
  for (const answer of completions) if (promiseOf(answer) === 'unexplained') problems.push(`completion answered ${describe(answer)}: not a documented outcome`);
  notes.push(`${PARALLEL_COMPLETIONS} parallel completions of one link: ${tally(completions)}; passwords that sign in: ${opens.length}`);
  const serverErrors = [...creates, ...completions].filter((answer) => answer.status >= 500).length;
  if (serverErrors > 0) notes.push(`${serverErrors} honest 5xx in the bursts above: no lie, but issue 9 asks for none on the local stack`);
}

// ---- 5. retry with Idempotency-Key

/**
 * A reset request retried with the same key and body acts once: one email, the same answer replayed, the first link
 * still works. The same key with another body is 422.
 */
async function retryActsOnce(api: Api, ctx: Context, problems: string[], notes: string[]): Promise<void> {
  const target = await createAdmin(api, ctx, 'general', 'retry');
  const sendTo = `retry-${suffix()}@bursts.example`;
  const key = randomUUID();
  const send = (body: unknown) => api.request('POST', `/admins/${target.adminId}/password-reset`, { token: ctx.master.token, headers: { 'idempotency-key': key }, body });
  const first = await send({ email: sendTo });
  const retry = await send({ email: sendTo });
  // Give a second email, if one were sent, time to reach the emulator's store.
  await sleep(1_000);
  const emails = await emailsTo(ctx.options.inbox, sendTo);
  notes.push(`first: ${describe(first)}; retry: ${describe(retry)} (Idempotent-Replayed: ${retry.headers.get('idempotent-replayed') ?? 'absent'}); emails to the address: ${emails.length}`);
  if (first.status !== 202) problems.push(`the first request answered ${describe(first)}`);
  if (retry.status !== first.status || retry.text !== first.text) problems.push('the retry\'s answer differs from the first');
  if (retry.headers.get('idempotent-replayed') !== 'true') problems.push('the retry carries no Idempotent-Replayed: true');
  if (emails.length !== 1) problems.push(`${emails.length} emails to the address, not 1`);

  // The first link must still work: complete it and sign in with its password.
  const token = await linkTokenFor(ctx.options.inbox, sendTo);
  const password = freshPassword();
  const completed = await api.request('POST', '/password-reset/complete', { body: { token, newPassword: password, confirmPassword: password } });
  const signedIn = await signIn(api, ctx.companyId, target.email, password);
  notes.push(`the emailed link: ${describe(completed)}; its password signs in: ${describe(signedIn)}`);
  if (completed.status !== 204 || signedIn.status !== 200) problems.push('the first link no longer works after the retry');

  const otherAddress = `retry-other-${suffix()}@bursts.example`;
  const reused = await send({ email: otherAddress });
  await sleep(500);
  const stray = await emailsTo(ctx.options.inbox, otherAddress);
  notes.push(`same key, other body: ${describe(reused)}; emails to the other address: ${stray.length}`);
  if (reused.status !== 422) problems.push(`the same key with another body answered ${describe(reused)}, not 422`);
  if (stray.length !== 0) problems.push('the same key with another body still sent an email');
}

// ---- 6. lockout is no weapon

/** Addresses of the outsider: other loopback addresses, which the local server sees as other clients. */
const OUTSIDER_ADDRESSES = ['127.0.0.2', '127.0.0.3', '127.0.0.4'];

/**
 * Issue 10's outsider, who knows only the company id and an admin's address: eleven wrong passwords from each of
 * three addresses of his, all at once. At most the threshold is compared per address; his addresses are locked even
 * for the right password; the admin signs in from his own address (127.0.0.1) and from one never seen (127.0.0.9).
 */
async function lockoutIsNoWeapon(api: Api, ctx: Context, problems: string[], notes: string[]): Promise<void> {
  const target = await signedInAdmin(api, ctx, 'general', 'weapon');
  const guesses = OUTSIDER_ADDRESSES.flatMap((from) =>
    Array.from({ length: DEFAULT_LOCKOUT_THRESHOLD + 1 }, () => () => api.request('POST', '/sign-in', { from, body: { companyId: ctx.companyId, email: target.email, password: freshPassword() } })),
  );
  const answers = await together(guesses);
  const compared = wrongPasswordsCompared(await auditEventsOf(api, ctx, target.adminId));
  const signInFrom = (from: string | undefined) => api.request('POST', '/sign-in', { ...(from === undefined ? {} : { from }), body: { companyId: ctx.companyId, email: target.email, password: target.password } });
  const outsiderRight = await signInFrom(OUTSIDER_ADDRESSES[0]);
  const ownAddress = await signInFrom(undefined);
  const newAddress = await signInFrom('127.0.0.9');
  notes.push(`${answers.length} wrong passwords from ${OUTSIDER_ADDRESSES.length} addresses: ${tally(answers)}; compared ${compared}`);
  notes.push(`right password from the outsider's address: ${describe(outsiderRight)}; from the admin's own: ${describe(ownAddress)}; from a new address: ${describe(newAddress)}`);
  const most = OUTSIDER_ADDRESSES.length * DEFAULT_LOCKOUT_THRESHOLD;
  if (compared > most) problems.push(`${compared} wrong passwords compared, more than ${DEFAULT_LOCKOUT_THRESHOLD} per address`);
  if (outsiderRight.status !== 401) problems.push(`the right password from a locked outside address answered ${describe(outsiderRight)}`);
  if (ownAddress.status !== 200) problems.push(`the admin could not sign in from his own address: ${describe(ownAddress)}`);
  if (newAddress.status !== 200) problems.push(`the admin could not sign in from a new address: ${describe(newAddress)}`);
  for (const answer of answers) if (answer.status >= 500 || answer.status === 0) problems.push(describe(answer));
}

// ---- main

async function main(args: readonly string[]): Promise<number> {
  let options: Options | 'help';
  try {
    options = parseOptions(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  const opts = options;
  const budget = RUN_BUDGET_MS + (opts.lapse ? LAPSE_EXTRA_MS : 0);
  const deadline = setTimeout(() => runDeadline.abort(new Error('the run took longer than its budget')), budget);
  const started = performance.now();
  console.log(`bursts against ${opts.api} (inbox ${opts.inbox}); budget ${budget / 60_000} min`);

  const health = await fetch(`${opts.api}/health`, { signal: AbortSignal.timeout(5_000) }).then((response) => response.status, () => 0);
  if (health !== 200) {
    console.error(`nothing healthy answers at ${opts.api}/health; is \`npm start\` running?`);
    clearTimeout(deadline);
    return 1;
  }

  let ctx: Context | undefined;
  const setUpVerdict = await burst('set-up (operator create-company, set-up link, first master)', async (api) => {
    ctx = await setUp(api, opts);
  }, opts);
  console.log(setUpVerdict.line.replace(/^PASS/, 'OK  '));
  if (ctx === undefined) {
    clearTimeout(deadline);
    return 1;
  }
  console.log(`  company ${ctx.companyId}`);
  const c = ctx;
  const verdicts: Verdict[] = [];
  const run = async (name: string, invariant: (api: Api, ctx: Context, problems: string[], notes: string[]) => Promise<void>) => {
    const verdict = await burst(name, (api, problems, notes) => invariant(api, c, problems, notes), opts);
    console.log(verdict.line);
    verdicts.push(verdict);
  };
  await run('1 last master', lastMasterIsKept);
  await run('2 lockout burst', lockoutHoldsUnderBurst);
  if (opts.lapse) await run('3 failure count after a lapsed lock', countRestartsAfterLapse);
  else console.log('SKIP  3 failure count after a lapsed lock: run with --lapse (waits about 70 s)');
  await run('4 no lies under load', answersMatchStoredState);
  await run('5 retry with Idempotency-Key', retryActsOnce);
  await run('6 lockout is no weapon', lockoutIsNoWeapon);
  clearTimeout(deadline);

  const failed = verdicts.filter((verdict) => !verdict.pass);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`${failed.length === 0 ? 'PASS' : 'FAIL'}  ${verdicts.length - failed.length} of ${verdicts.length} invariants held, ${seconds} s${failed.length > 0 ? `; failed: ${failed.map((verdict) => verdict.name).join(', ')}` : ''}`);
  return failed.length === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
