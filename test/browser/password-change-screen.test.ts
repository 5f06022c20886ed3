// Browser tests: the Password Change Screen in Chromium against the local API (the real handlers, DynamoDB Local and
// the SES emulator), followed as the seed's "Password reset" goes: the master resets, the email arrives, the
// administrator opens the link on his phone and chooses a new password.
import { mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { tooManyAttempts } from '../../functions/domain/errors';
import { browserScene, expectInlinePageSecurity } from '../support/browser';
import { provisionTestCompany, type ProvisionedCompany } from '../support/companies';
import { latestEmailTo, resetLinkOf } from '../support/inbox';
import { createGeneralAdmin, signInMaster } from '../support/scenario';

// The arrow functions given to evaluate() run in the page. The project compiles without the DOM library, so the
// page globals they use are declared here, for this file only.
declare const document: any;
declare const window: any;
declare const location: any;
declare function getComputedStyle(element: unknown): any;

const SCREENSHOT = join(import.meta.dirname, '..', '..', 'docs', 'password-change-screen.png');
const PHONE = { width: 375, height: 812 };
const NEW_PASSWORD = 'a river of quiet lanterns';
/** Shaped like a link token; no reset issued it. */
const UNKNOWN_TOKEN = 'A'.repeat(43);

const scene = browserScene();


/** A phone-sized page that records every request URL (and its Referer) and every script error or CSP refusal. */
async function openPhonePage(): Promise<{ context: BrowserContext; page: Page; requests: { url: string; referer?: string }[]; problems: string[] }> {
  const context = await scene.browser.newContext({ viewport: PHONE });
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
  const { context, page } = await openPhonePage();
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

    ({ context, page, requests, problems } = await openPhonePage());
    await page.goto(link);
    await page.getByRole('heading', { name: 'Password policy' }).waitFor();
  });
  afterAll(async () => {
    await context?.close();
  });

  it('removes the token from the address bar as soon as the page loads', async () => {
    const address = await page.evaluate(() => location.href);

    expect(address).toBe(`${scene.api.url}/password-reset`);
    expect(page.url()).not.toContain('#token');
  });

  it('shows the company, the administrator address and the password policy as a list', async () => {
    const shown = await page.locator('main').innerText();
    const rules = await page.getByRole('list', { name: 'Password policy' }).getByRole('listitem').allInnerTexts();

    expect(shown).toContain(`Company ${company.companyId}`);
    expect(shown).toContain(admin.email);
    expect(rules).toEqual(expect.arrayContaining([expect.stringMatching(/at least 15 characters/i), expect.stringMatching(/your email address, your name/i)]));

    await mkdir(dirname(SCREENSHOT), { recursive: true });
    // Kept once made (its company id changes every run); UPDATE_SCREENSHOTS=1 makes it again.
    if (process.env.UPDATE_SCREENSHOTS === '1' || !(await stat(SCREENSHOT).catch(() => undefined))) {
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    }
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

  it('shows the policy violation the server finds next to the new-password field', async () => {
    await newPasswordField().fill('too short');
    await confirmField().fill('too short');

    await changePasswordButton().click();
    await page.getByRole('alert').filter({ hasText: /at least 15 characters/i }).waitFor();

    expect(await describedText(newPasswordField())).toMatch(/Use at least 15 characters; this one has 9\./);
    expect(await newPasswordField().getAttribute('aria-invalid')).toBe('true');
    expect(await describedText(confirmField())).not.toMatch(/do not match/i);
    expect(completions(requests)).toHaveLength(1);
  });

  it('says he can now sign in with the new password once it is accepted, and hides the form', async () => {
    await newPasswordField().fill(NEW_PASSWORD);
    await confirmField().fill(NEW_PASSWORD);

    await changePasswordButton().click();
    await page.getByRole('heading', { name: 'Your password has been changed' }).waitFor();

    expect(await page.locator('main').innerText()).toMatch(new RegExp(`sign in as ${admin.email.replace(/\./g, '\\.')} with your new password`, 'i'));
    expect(await newPasswordField().isVisible()).toBe(false);
    expect(await changePasswordButton().isVisible()).toBe(false);
  });

  it('lets him sign in with the new password', async () => {
    const response = await scene.api.request('POST', '/sign-in', { body: { companyId: company.companyId, email: admin.email, password: NEW_PASSWORD } });

    expect(response.status).toBe(200);
    expect(response.body.sessionToken).toEqual(expect.any(String));
  });

  it('tells him to ask the master administrator for a new link when he opens the used link again', async () => {
    const again = await context.newPage();

    await again.goto(link);
    const message = again.getByRole('status').filter({ hasText: /ask your master administrator/i });
    await message.waitFor();

    expect(await message.innerText()).toMatch(/not valid/i);
    expect(await again.getByLabel('New password', { exact: true }).isVisible()).toBe(false);
    expect(again.url()).toBe(`${scene.api.url}/password-reset`);
  });

  it('never sends the token in a request URL or a Referer, and runs under its CSP without a refusal', async () => {
    const fetched = requests.map((request) => request.url);

    expect(fetched).toEqual(expect.arrayContaining([`${scene.api.url}/password-reset/verify`, `${scene.api.url}/password-reset/complete`]));
    expect(fetched.filter((url) => url.includes(token))).toEqual([]);
    expect(requests.filter((request) => (request.referer ?? '') !== '')).toEqual([]);
    expect(problems).toEqual([]);
  });
});

describe('when the page is opened without a link token', () => {
  it('tells the administrator to ask the master administrator for a new link', () =>
    onPhonePage(async (page) => {
      await page.goto(`${scene.api.url}/password-reset`);
      const message = page.getByRole('status').filter({ hasText: /ask your master administrator to send you a new link/i });

      await message.waitFor();

      expect(await page.getByLabel('New password', { exact: true }).isVisible()).toBe(false);
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
      const message = page.getByRole('status').filter({ hasText: refusal.message });

      await message.waitFor();

      expect(await page.getByLabel('New password', { exact: true }).isVisible()).toBe(false);
    }));
});

describe('when the service cannot be reached while the link is checked', () => {
  it('offers to check it again from the page, since a reload would no longer have the token', () =>
    onPhonePage(async (page) => {
      await page.route('**/password-reset/verify', (route) => route.abort('connectionrefused'));
      await page.goto(`${scene.api.url}/password-reset#token=${UNKNOWN_TOKEN}`);
      await page.getByRole('status').filter({ hasText: /could not be reached/i }).waitFor();
      await page.unroute('**/password-reset/verify');

      await page.getByRole('button', { name: 'Try again' }).click();

      // The token was kept in memory: the real server is asked again, and knows no such link.
      await page.getByRole('status').filter({ hasText: /ask your master administrator/i }).waitFor();
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
