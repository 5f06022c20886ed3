// Browser tests: the audit log (console/screens/audit-log.ts) in Chromium against the local API, read by a master in
// Tokyo with a British locale: names instead of ids for every admin (more than the admin list's first 100), local
// times with their zone, words instead of codes, the filters, "Older events", the CSV of what is shown, every
// column in sight at 1280 and 1920 px and on a phone, and axe at 0 violations.
import { readFile, mkdir, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createDynamoAuditLog } from '../../functions/adapters/dynamodb/audit-log';
import { auditEvent } from '../../functions/domain/audit';
import { accessibilityViolations } from '../support/accessibility';
import { browserScene, watchForPageProblems, watchedContexts } from '../support/browser';
import { documentClient, provisionTestCompany, type ProvisionedCompany } from '../support/companies';
import { MASTER_PASSWORD, signInMaster, typedClient, type SignedIn } from '../support/scenario';

// The arrow functions given to evaluate() run in the page; the project compiles without the DOM library.
declare const document: any;
declare const window: any;

const DOCS = join(import.meta.dirname, '..', '..', 'docs');
const WIDTHS = { desktop: { width: 1280, height: 800 }, wide: { width: 1920, height: 1080 }, phone: { width: 375, height: 812 } } as const;
const READER = { locale: 'en-GB', timezoneId: 'Asia/Tokyo' } as const;
/** Failed sign-ins stored straight into the audit table: more than one page of 50. */
const STORED_FAILURES = 60;
const ADMINS_BEYOND_FIRST_PAGE = 102;
const SLOW = 120_000;
/** A raw ULID, or an ISO 8601 time, anywhere in a text. */
const RAW = /\b[0-9A-HJKMNP-TV-Z]{26}\b|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

const scene = browserScene();
const auditLog = createDynamoAuditLog(documentClient(), process.env.AUDIT_TABLE!);

interface Company {
  readonly company: ProvisionedCompany;
  readonly master: SignedIn;
  /** The admin registered last, beyond the first 100 of the admin list. */
  readonly last: { adminId: string; name: string; email: string };
  /** An admin whose name a spreadsheet would take for a formula. */
  readonly formula: { adminId: string; name: string; email: string };
}

let shared: Company;
beforeAll(async () => {
  const company = await provisionTestCompany(scene.directory);
  const master = await signInMaster(scene.api, company);
  const client = typedClient(scene.api, master.token);
  // Letters g to v only: a digit run could be a personal fragment ("Admin 101" makes "101" one) and be refused.
  const temporaryPassword = () => `tmp ${randomBytes(10).toString('hex').replace(/[0-9a-f]/g, (digit) => 'ghijklmnopqrstuv'[parseInt(digit, 16)] ?? 'g')}`;
  const register = (name: string, email: string) =>
    client.createAdmin({ name, email, role: 'general', canChangeOwnPassword: false, temporaryPassword: temporaryPassword() });
  // One after another: registrations in one company move the same count, so at once they would refuse each other.
  for (let index = 0; index < ADMINS_BEYOND_FIRST_PAGE; index += 1) await register(`Admin ${index}`, `admin${index}@${company.companyId}.example`);
  const formula = await register('=HYPERLINK("http://evil.example")', `formula@${company.companyId}.example`);
  const last = await register('Zoe Last', `zoe@${company.companyId}.example`);
  // Failed sign-ins of Zoe, stored directly (a sign-in each would take minutes), from a day in the past.
  const clock = { now: () => new Date(Date.now() - 3 * 24 * 3_600_000) };
  const random = { bytes: (count: number) => randomBytes(count) };
  await auditLog.record(
    Array.from({ length: STORED_FAILURES }, (_, index) =>
      auditEvent(
        { companyId: company.companyId, type: 'SIGN_IN_FAILED', outcome: 'failure', actorAdminId: null, targetAdminId: last.adminId, origin: { sourceIp: `198.51.100.${index}`, userAgent: 'test' }, details: { reason: 'WRONG_PASSWORD' } },
        { clock, random },
      ),
    ),
  );
  shared = { company, master, last: { adminId: last.adminId, name: last.name, email: last.email }, formula: { adminId: formula.adminId, name: formula.name, email: formula.email } };
}, SLOW);

/** Script errors and CSP or Trusted Types refusals seen by any page of the current test fail it. */
const { contexts, problems } = watchedContexts();

const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name });
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

/** The master, signed in on a fresh browser, on the audit log (with `query` as its filters). */
async function auditLogOf(viewport: { width: number; height: number }, query = ''): Promise<Page> {
  const context = await scene.browser.newContext({ viewport, ...READER, acceptDownloads: true });
  contexts.push(context);
  // Generous: each filter reads the whole admin list again (two pages here) on a machine shared with other tests.
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  watchForPageProblems(page, problems);
  await page.goto(`${scene.api.url}/#/settings/audit-log${query}`);
  await heading(page, 'Sign in').waitFor();
  await page.getByLabel('Company ID', { exact: true }).fill(shared.company.companyId);
  await page.getByLabel('Email address', { exact: true }).fill(shared.company.masterEmail);
  await page.getByLabel('Password', { exact: true }).fill(MASTER_PASSWORD);
  await button(page, 'Sign in').click();
  await heading(page, 'Audit log').waitFor();
  return page;
}

/** docs/console-<name>.png, the window's view (a page of 50 events is too long to read whole), kept once made; UPDATE_SCREENSHOTS=1 makes them again. */
async function screenshot(page: Page, name: string): Promise<void> {
  const path = join(DOCS, `console-${name}.png`);
  if (process.env.UPDATE_SCREENSHOTS !== '1' && (await stat(path).catch(() => undefined))) return;
  await mkdir(DOCS, { recursive: true });
  await page.screenshot({ path });
}

/** Clicks [Show] and waits for the screen it brings (a new heading), so nothing is read from the screen before. */
async function show(page: Page): Promise<void> {
  await page.locator('main h1').evaluate((title: any) => title.setAttribute('data-before', ''));
  await button(page, 'Show').click();
  await page.locator('main h1:not([data-before])').waitFor();
}

const rowsOf = (page: Page) => page.locator('table.events tbody tr');
const mainText = (page: Page): Promise<string> => page.locator('main').innerText();

/** Every header cell and every cell of the first row, and whether each lies wholly inside the window's width. */
const columnsInSight = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('table.events thead th, table.events tbody tr:first-child > *')].map((cell: any) => {
      const box = cell.getBoundingClientRect();
      return { text: cell.textContent, inSight: box.width > 0 && box.left >= 0 && box.right <= window.innerWidth };
    }),
  );

describe.each([
  ['desktop', WIDTHS.desktop],
  ['wide screen', WIDTHS.wide],
])('when a master reads the audit log on a %s', (name, viewport) => {
  it('shows every column, names instead of ids, local times with their zone, and no violation', async () => {
    const page = await auditLogOf(viewport);
    await rowsOf(page).first().waitFor();

    const text = await mainText(page);
    const columns = await columnsInSight(page);
    const widths = await page.evaluate(() => ({ content: document.documentElement.scrollWidth, screen: window.innerWidth }));
    const registered = await rowsOf(page).filter({ hasText: 'Administrator registered' }).first().innerText();
    const violations = await accessibilityViolations(page);
    await screenshot(page, name === 'desktop' ? 'audit-log' : 'audit-log-1920');

    expect(columns.filter((column) => !column.inSight)).toEqual([]);
    expect(columns.map((column) => column.text).slice(0, 7)).toEqual(['Time', 'Event', 'Outcome', 'By', 'About', 'Details', 'From']);
    expect(widths.content).toBeLessThanOrEqual(widths.screen);
    expect(text).not.toMatch(RAW);
    expect(registered).toContain('Mia Master');
    expect(registered).toContain('Zoe Last');
    expect(text).toMatch(/GMT\+9/);
    expect(violations).toEqual([]);
  }, SLOW);
});

describe('when a master reads the audit log on a phone', () => {
  it('stacks each event with its column names, all of it on the screen, with no violation', async () => {
    const page = await auditLogOf(WIDTHS.phone);
    await rowsOf(page).first().waitFor();

    const widths = await page.evaluate(() => ({ content: document.documentElement.scrollWidth, screen: window.innerWidth }));
    const columns = await columnsInSight(page);
    const fromLabel = await page.locator('tbody tr:first-child td[data-label="From"]').evaluate((cell: any) => window.getComputedStyle(cell, '::before').content);
    const violations = await accessibilityViolations(page);
    await screenshot(page, 'audit-log-phone');

    expect(widths.content).toBeLessThanOrEqual(widths.screen);
    expect(columns.slice(7).filter((column) => !column.inSight)).toEqual([]);
    expect(fromLabel).toBe('"From"');
    expect(violations).toEqual([]);
  }, SLOW);
});

describe('when a master narrows and pages the audit log', () => {
  it('names an administrator beyond the first 100, and narrows to him, to a type and to days', async () => {
    const page = await auditLogOf(WIDTHS.desktop);

    await page.getByLabel('Event', { exact: true }).selectOption({ label: 'Sign-in refused' });
    await page.getByLabel('Events about', { exact: true }).selectOption({ label: `Zoe Last (${shared.last.email})` });
    await show(page);
    const narrowed = await rowsOf(page).allInnerTexts();
    const address = new URL(page.url()).hash;

    // Days after the stored failures: none of them.
    const today = await page.evaluate(() => new Date().toLocaleDateString('en-CA'));
    await page.getByLabel('From', { exact: true }).fill(today);
    await show(page);
    await page.getByText('No events match these filters.').waitFor();
    const rowsToday = await rowsOf(page).count();

    // A "To" before the "From" is refused on the screen, before asking the API.
    await page.getByLabel('To', { exact: true }).fill('2020-01-01');
    await button(page, 'Show').click();
    const refusal = await page.getByRole('alert').innerText();

    expect(narrowed).toHaveLength(50);
    expect(narrowed.every((row) => row.includes('Sign-in refused') && row.includes('Zoe Last') && row.includes('Reason: wrong password'))).toBe(true);
    expect(address).toContain(`admin=${shared.last.adminId}`);
    expect(rowsToday).toBe(0);
    expect(refusal).toMatch(/before the "From" day/);
  }, SLOW);

  it('reads older events page after page, without repeating one', async () => {
    const page = await auditLogOf(WIDTHS.desktop, `?type=SIGN_IN_FAILED&admin=${shared.last.adminId}`);
    await rowsOf(page).first().waitFor();
    const first = await rowsOf(page).count();

    await button(page, 'Older events').click();
    await rowsOf(page).nth(first).waitFor();
    await button(page, 'Older events').waitFor({ state: 'hidden' });
    const sources = await page.locator('tbody td[data-label="From"]').allInnerTexts();
    const count = await page.getByRole('status').filter({ hasText: 'events shown' }).innerText();

    expect(first).toBe(50);
    expect(sources).toHaveLength(STORED_FAILURES);
    expect(new Set(sources).size).toBe(STORED_FAILURES);
    expect(count).toMatch(/^60 events shown, back to .+ \(all that match\)\.$/);
  }, SLOW);
});

describe('when a master downloads the audit log as CSV', () => {
  it('gets the rows on screen, with names and local times, and no cell a spreadsheet would run', async () => {
    const page = await auditLogOf(WIDTHS.desktop, '?type=ADMIN_CREATED');
    await rowsOf(page).first().waitFor();
    const shownRows = await rowsOf(page).count();
    const firstTime = await rowsOf(page).first().locator('td[data-label="Time"]').innerText();

    const [download] = await Promise.all([page.waitForEvent('download'), button(page, 'Download CSV of the events shown').click()]);
    const csv = (await readFile((await download.path())!, 'utf8')).replace(/^\uFEFF/, '');
    const lines = csv.split('\r\n');

    expect(download.suggestedFilename()).toMatch(new RegExp(`^audit-log-${shared.company.companyId}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    expect(lines[0]).toBe('Time,Event,Outcome,By,About,Details,From');
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(shownRows + 2);
    expect(lines[1]).toContain(firstTime);
    expect(csv).toContain(`Mia Master <${shared.company.masterEmail}>`);
    expect(csv).toContain(`Zoe Last <${shared.last.email}>`);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"") <${shared.formula.email}>"`);
    expect(csv).not.toMatch(RAW);
  }, SLOW);
});
