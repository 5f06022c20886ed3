// Browser tests: the Password Change Screen in Chromium against the local API (the real handlers, DynamoDB Local and
// the SES emulator), followed as the seed's "Password reset" goes: the master resets, the email arrives, the
// administrator opens the link on his phone, watches the company's rules tick as he types, chooses a new password
// and follows the link to the console's sign-in with his company filled in. A new company's first master does the
// same with his set-up link. axe-core checks every state of the screen at desktop and phone widths.
import { mkdir, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { createDynamoAuditLog } from '../../functions/adapters/dynamodb/audit-log';
import type { EmailMessage } from '../../functions/domain/emails';
import { tooManyAttempts } from '../../functions/domain/errors';
import { createCompanyWithMaster } from '../../functions/use-cases/operator';
import { CHECKED_WIDTHS, violationsAtCheckedWidths } from '../support/accessibility';
import { browserScene, expectInlinePageSecurity } from '../support/browser';
import { documentClient, provisionTestCompany, testHasher, uniqueCompanyId, type ProvisionedCompany } from '../support/companies';
import { latestEmailTo, resetLinkOf } from '../support/inbox';
import { createGeneralAdmin, signInMaster } from '../support/scenario';
import { SETUP_TIMEOUT_MS } from '../support/timeouts';

// The arrow functions given to evaluate() run in the page. The project compiles without the DOM library, so the
// page globals they use are declared here, for this file only.
declare const document: any;
declare const window: any;
declare const location: any;
declare function getComputedStyle(element: unknown): any;

const SCREENSHOT = join(import.meta.dirname, '..', '..', 'docs', 'password-change-screen.png');
const { phone: PHONE, desktop: DESKTOP } = CHECKED_WIDTHS;
const NEW_PASSWORD = 'a river of quiet lanterns';
/** Shaped like a link token; no reset issued it. */
const UNKNOWN_TOKEN = 'A'.repeat(43);

const scene = browserScene();

/** A page of the given size that records every request URL (and its Referer) and every script error or CSP refusal. */
async function openPage(viewport = PHONE): Promise<{ context: BrowserContext; page: Page; requests: { url: string; referer?: string }[]; problems: string[] }> {
  const context = await scene.browser.newContext({ viewport });
  context.setDefaultTimeout(10_000);
  const requests: { url: string; referer?: string }[] = [];
  const problems: string[] = [];
  context.on('request', (request) => requests.push({ url: request.url(), referer: request.headers().referer }));
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (/Content.Security.Policy|Trusted Type/i.test(message.text())) problems.push(message.text());
  });
  return { context, page, requests, problems };
}

/** Runs `use` on a fresh phone-sized page and closes it after. */
async function onPhonePage(use: (page: Page) => Promise<void>): Promise<void> {
  const { context, page } = await openPage();
  try {
    await use(page);
  } finally {
    await context.close();
  }
}


/** The text of everything the field's aria-describedby points at: what a screen reader reads with the field. */
const describedText = (field: Locator): Promise<string> =>
  field.evaluate((input) =>
    (input.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .map((id: string) => input.ownerDocument.getElementById(id)?.textContent ?? '')
      .join(' '),
  );

const completions = (requests: readonly { url: string }[]) => requests.filter((request) => request.url.endsWith('/password-reset/complete'));
const mainHeading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });
/** Each rule of the checklist and its state (idle, met, unmet, server), by rule code. */
const ruleStates = (page: Page): Promise<Record<string, string>> =>
  page.evaluate(() => Object.fromEntries([...document.querySelectorAll('li[data-rule]')].map((item: any) => [item.dataset.rule, item.dataset.state])));

/** Signs in on the console's sign-in screen the page shows, with the company id as it was filled in. */
async function signInOnConsole(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await mainHeading(page, 'Settings').waitFor();
}

// The tests of this block share one page and run in order, as the administrator goes through the screen.
describe('when an administrator opens the reset link the master emailed him', () => {
  let company: ProvisionedCompany;
  let admin: { adminId: string; email: string };
  let typedAddress: string;
  let link: string;
  let token: string;
  let context: BrowserContext;
  let page: Page;
  let requests: { url: string; referer?: string }[];
  let problems: string[];

  const newPasswordField = () => page.getByLabel('New password', { exact: true });
  const confirmField = () => page.getByLabel('Confirm new password', { exact: true });
  const changePasswordButton = () => page.getByRole('button', { name: 'Change Password' });

  beforeAll(async () => {
    company = await provisionTestCompany(scene.directory);
    const master = await signInMaster(scene.api, company);
    admin = await createGeneralAdmin(scene.api, master, `gil@${company.companyId}.example`);
    typedAddress = `typed-address@${company.companyId}.example`;
    const reset = await scene.api.request('POST', `/admins/${admin.adminId}/password-reset`, { token: master.token, body: { email: typedAddress } });
    if (reset.status !== 202) throw new Error(`expected 202, got ${reset.status} ${reset.text}`);
    link = resetLinkOf(await latestEmailTo(typedAddress, /password/i));
    token = link.split('#token=')[1]!;

    ({ context, page, requests, problems } = await openPage());
    await page.goto(link);
    await mainHeading(page, 'Reset your password').waitFor();
    // Sign-ins and a reset at the stack's password hashing, and the first start of their functions.
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await context?.close();
  });

  it('removes the token from the address bar as soon as the page loads', async () => {
    const address = await page.evaluate(() => location.href);

    expect(address).toBe(`${scene.api.url}/password-reset`);
    expect(page.url()).not.toContain('#token');
  });

  it('says "Reset your password" in its title and heading, and names the company, its id, the address and the policy', async () => {
    const shown = await page.locator('main').innerText();
    const rules = await page.getByRole('region', { name: 'Password policy' }).getByRole('listitem').allInnerTexts();

    expect(await page.title()).toBe('Reset your password – adminpass');
    expect(shown).toContain(`Company ${company.companyId}`);
    expect(shown).toMatch(new RegExp(`Company ID\\s+${company.companyId}`));
    expect(shown).toContain(admin.email);
    expect(rules).toEqual(expect.arrayContaining([expect.stringMatching(/at least 15 characters/i), expect.stringMatching(/your email address, your name/i)]));

    await mkdir(dirname(SCREENSHOT), { recursive: true });
    // Kept once made (its company id changes every run); UPDATE_SCREENSHOTS=1 makes it again.
    if (process.env.UPDATE_SCREENSHOTS === '1' || !(await stat(SCREENSHOT).catch(() => undefined))) {
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    }
  });

  it('has no accessibility violation with the form shown, at desktop and phone widths', async () => {
    expect(await violationsAtCheckedWidths(page, PHONE)).toEqual([]);
  });

  it('ticks the rules as he types, from the console\'s rule code, without asking the server', async () => {
    const before = await ruleStates(page);

    await newPasswordField().pressSequentially('short');
    const whileShort = await ruleStates(page);
    await newPasswordField().pressSequentially(' and then much longer');
    const whenLong = await ruleStates(page);

    expect(before.TOO_SHORT).toBe('idle');
    expect(whileShort.TOO_SHORT).toBe('unmet');
    expect(whenLong.TOO_SHORT).toBe('met');
    expect(whenLong.CONTAINS_PERSONAL_INFO).toBe('met');
    expect(completions(requests)).toHaveLength(0);
    expect(await violationsAtCheckedWidths(page, PHONE)).toEqual([]);
  });

  it('fits a 375-pixel-wide phone screen with no horizontal scrolling', async () => {
    const widths = await page.evaluate(() => ({ content: document.documentElement.scrollWidth, screen: window.innerWidth }));

    expect(widths.screen).toBe(PHONE.width);
    expect(widths.content).toBeLessThanOrEqual(widths.screen);
  });

  it('reaches [Change Password] with the Tab key and draws a visible focus outline on it', async () => {
    await page.evaluate(() => document.activeElement?.blur?.());
    let focused = '';
    for (let presses = 0; presses < 8 && focused !== 'Change Password'; presses += 1) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => (document.activeElement?.tagName === 'BUTTON' ? document.activeElement.textContent : ''));
    }
    const outline = await changePasswordButton().evaluate((button) => {
      const style = getComputedStyle(button);
      return { style: style.outlineStyle, width: parseFloat(style.outlineWidth), visibleFocus: button.matches(':focus-visible') };
    });

    expect(focused).toBe('Change Password');
    expect(outline).toEqual({ style: 'solid', width: expect.any(Number), visibleFocus: true });
    expect(outline.width).toBeGreaterThanOrEqual(2);
  });

  it('refuses a confirmation that does not match in the browser, without asking the server', async () => {
    await newPasswordField().fill(NEW_PASSWORD);
    await confirmField().fill(`${NEW_PASSWORD}!`);

    await changePasswordButton().click();
    // Long enough for a request the click might have started to be reported.
    await page.waitForTimeout(250);

    expect(await describedText(confirmField())).toMatch(/do not match/i);
    expect(await confirmField().getAttribute('aria-invalid')).toBe('true');
    expect(completions(requests)).toHaveLength(0);
  });

  it('shows the policy violation the server finds next to the new-password field, with no accessibility violation', async () => {
    await newPasswordField().fill('too short');
    await confirmField().fill('too short');

    await changePasswordButton().click();
    await page.locator('.errors').filter({ hasText: /at least 15 characters/i }).waitFor();

    expect(await describedText(newPasswordField())).toMatch(/Use at least 15 characters; this one has 9\./);
    expect(await newPasswordField().getAttribute('aria-invalid')).toBe('true');
    expect(await describedText(confirmField())).not.toMatch(/do not match/i);
    expect(completions(requests)).toHaveLength(1);
    expect(await violationsAtCheckedWidths(page, PHONE)).toEqual([]);
  });

  it('says he can now sign in with the new password once it is accepted, and hides the form', async () => {
    await newPasswordField().fill(NEW_PASSWORD);
    await confirmField().fill(NEW_PASSWORD);

    await changePasswordButton().click();
    await page.getByRole('heading', { name: 'Your password has been changed' }).waitFor();

    expect(await page.locator('main').innerText()).toMatch(new RegExp(`sign in as ${admin.email.replace(/\./g, '\\.')} to .* with your new password`, 'i'));
    expect(await newPasswordField().isVisible()).toBe(false);
    expect(await changePasswordButton().isVisible()).toBe(false);
    expect(await violationsAtCheckedWidths(page, PHONE)).toEqual([]);
  });

  it('links to the console\'s sign-in with his company id filled in, where he signs in with the new password', async () => {
    const signIn = page.getByRole('link', { name: 'Sign in to the console' });
    const href = await signIn.getAttribute('href');

    await signIn.click();
    await mainHeading(page, 'Sign in').waitFor();
    const filledIn = await page.getByLabel('Company ID').inputValue();
    await signInOnConsole(page, admin.email, NEW_PASSWORD);

    expect(href).toBe(`/#/sign-in?company=${company.companyId}`);
    expect(filledIn).toBe(company.companyId);
  });

  it('tells him to ask the master administrator for a new link when he opens the used link again', async () => {
    const again = await context.newPage();

    await again.goto(link);
    const message = again.getByRole('alert').filter({ hasText: /ask your master administrator/i });
    await message.waitFor();

    expect(await message.innerText()).toMatch(/not valid/i);
    expect(await again.getByLabel('New password', { exact: true }).isVisible()).toBe(false);
    expect(again.url()).toBe(`${scene.api.url}/password-reset`);
    expect(await violationsAtCheckedWidths(again, PHONE)).toEqual([]);
  });

  it('never sends the token in a request URL or a Referer, and runs under its CSP without a refusal', async () => {
    const fetched = requests.map((request) => request.url);

    expect(fetched).toEqual(expect.arrayContaining([`${scene.api.url}/password-reset/verify`, `${scene.api.url}/password-reset/complete`]));
    expect(fetched.filter((url) => url.includes(token))).toEqual([]);
    expect(requests.filter((request) => (request.referer ?? '') !== '')).toEqual([]);
    expect(problems).toEqual([]);
  });
});

describe('when a new company\'s first master opens the set-up link the operator sent him', () => {
  let companyId: string;
  let masterEmail: string;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  const client = documentClient();
  afterAll(() => client.destroy());

  beforeAll(async () => {
    companyId = uniqueCompanyId();
    masterEmail = `olga@${companyId}.example`;
    let sent: EmailMessage | undefined;
    // The operator's command, with the email kept here: its words are the email tests' concern, the link is this one's.
    await createCompanyWithMaster(
      { companyId, companyName: `Set-up ${companyId}`, masterEmail, masterName: 'Olga Owner' },
      {
        ...scene.directory,
        hasher: testHasher(),
        auditLog: createDynamoAuditLog(client, process.env.AUDIT_TABLE!),
        mailer: { send: async (_to, message) => void (sent = message) },
        clock: { now: () => new Date() },
        random: { bytes: (count: number) => randomBytes(count) },
        lifetimes: { resetLinkMinutes: 24 * 60 },
        publicBaseUrl: scene.api.url,
      },
    );
    const link = /\S+\/password-reset#token=\S+/.exec(sent?.text ?? '')?.[0];
    if (link === undefined) throw new Error('the set-up email carries no link');

    ({ context, page, problems } = await openPage(DESKTOP));
    await page.goto(link);
    await mainHeading(page, 'Set your password').waitFor();
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await context?.close();
  });

  it('says "Set your password" in its title, heading and button, with no accessibility violation', async () => {
    expect(await page.title()).toBe('Set your password – adminpass');
    expect(await page.getByRole('button', { name: 'Set Password' }).isVisible()).toBe(true);
    expect(await page.locator('main').innerText()).toMatch(/has no password yet/i);
    expect(await violationsAtCheckedWidths(page)).toEqual([]);
  });

  it('sets his first password, then signs him in from the console\'s sign-in with his company filled in', async () => {
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Confirm new password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set Password' }).click();
    await page.getByRole('heading', { name: 'Your password is set' }).waitFor();
    const done = await violationsAtCheckedWidths(page);

    await page.getByRole('link', { name: 'Sign in to the console' }).click();
    await mainHeading(page, 'Sign in').waitFor();
    const filledIn = await page.getByLabel('Company ID').inputValue();
    await signInOnConsole(page, masterEmail, NEW_PASSWORD);

    expect(done).toEqual([]);
    expect(filledIn).toBe(companyId);
    expect(problems).toEqual([]);
  });
});

describe('when the page is opened without a link token', () => {
  it('tells the administrator to ask the master administrator for a new link', () =>
    onPhonePage(async (page) => {
      await page.goto(`${scene.api.url}/password-reset`);
      const message = page.getByRole('alert').filter({ hasText: /ask your master administrator to send you a new link/i });

      await message.waitFor();

      expect(await page.getByLabel('New password', { exact: true }).isVisible()).toBe(false);
      expect(await violationsAtCheckedWidths(page, PHONE)).toEqual([]);
    }));
});

describe('when too many invalid links were tried from the same place', () => {
  // The limit counts misses per source address, and every test file comes from 127.0.0.1, so the suite sets it out of
  // reach; the browser is given the server's own 429 answer instead.
  it("shows the server's message instead of the form", () =>
    onPhonePage(async (page) => {
      const refusal = tooManyAttempts(900);
      await page.route('**/password-reset/verify', (route) =>
        route.fulfill({ status: 429, contentType: 'application/json', body: JSON.stringify({ error: { code: refusal.code, message: refusal.message } }) }),
      );
      await page.goto(`${scene.api.url}/password-reset#token=${UNKNOWN_TOKEN}`);
      const message = page.getByRole('alert').filter({ hasText: refusal.message });

      await message.waitFor();

      expect(await page.getByLabel('New password', { exact: true }).isVisible()).toBe(false);
    }));
});

describe('when the service cannot be reached while the link is checked', () => {
  it('offers to check it again from the page, since a reload would no longer have the token', () =>
    onPhonePage(async (page) => {
      await page.route('**/password-reset/verify', (route) => route.abort('connectionrefused'));
      await page.goto(`${scene.api.url}/password-reset#token=${UNKNOWN_TOKEN}`);
      await page.getByRole('alert').filter({ hasText: /could not be reached/i }).waitFor();
      await page.unroute('**/password-reset/verify');

      await page.getByRole('button', { name: 'Try again' }).click();

      // The token was kept in memory: the real server is asked again, and knows no such link.
      await page.getByRole('alert').filter({ hasText: /ask your master administrator/i }).waitFor();
      expect(await page.getByRole('button', { name: 'Try again' }).isVisible()).toBe(false);
    }));
});

describe('when the page is served', () => {
  it('forbids inline code it does not name by hash, and sends no Referer and nothing to cache', async () => {
    const response = await scene.api.request('GET', '/password-reset');
    expectInlinePageSecurity(response);
  });

  it('is one self-contained English page with one main heading, sized for phones', async () => {
    const response = await scene.api.request('GET', '/password-reset');

    expect(response.text).not.toMatch(/\b(src|href)\s*=/i);
    expect(response.text).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(response.text.match(/<h1\b/g)).toHaveLength(1);
    expect(response.text).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  });
});
