// Browser tests: the admin console (GET /) in Chromium against the local API (the real handlers, DynamoDB Local and
// the SES emulator). Each procedure of the help article is clicked through its screens, as a person would, with a
// fresh company per test.
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { z } from 'zod';
import type * as client from '../../console/api-types';
import type * as schemas from '../../functions/contract/schemas';
import { browserScene, expectInlinePageSecurity, watchForPageProblems, watchedContexts } from '../support/browser';
import { enablePasswordPolicySettings, provisionTestCompany, type ProvisionedCompany } from '../support/companies';
import { latestEmailTo, resetLinkOf } from '../support/inbox';
import { MASTER_PASSWORD, createGeneralAdmin, signIn, signInMaster, signInReplacingTemporary } from '../support/scenario';

// The arrow functions given to evaluate() run in the page; the project compiles without the DOM library.
declare const document: any;
declare const window: any;
declare const localStorage: any;
declare const sessionStorage: any;

// The console's types of the API's bodies (generated from the document, through the client package) must accept
// what the API sends, and send what the API accepts.
type Fits<From, To> = [From] extends [To] ? true : false;
const fits = <From, To>(proof: Fits<From, To>): Fits<From, To> => proof;
fits<z.output<typeof schemas.Admin>, client.Admin>(true);
fits<z.output<typeof schemas.SessionGrant>, client.SessionGrant>(true);
fits<z.output<typeof schemas.NewPasswordChallenge>, client.NewPasswordChallenge>(true);
fits<z.output<typeof schemas.AdminList>, client.AdminList>(true);
fits<z.output<typeof schemas.CompanyPasswordPolicy>, client.CompanyPasswordPolicy>(true);
fits<z.output<typeof schemas.AuditEventList>, client.AuditEventList>(true);
fits<z.output<typeof schemas.PasswordResetSent>, client.PasswordResetSent>(true);
fits<client.NewAdmin, z.input<typeof schemas.CreateAdminRequest>>(true);
fits<client.AdminProfileChange, z.input<typeof schemas.UpdateAdminRequest>>(true);
fits<client.PasswordPolicySettings, z.input<typeof schemas.PasswordPolicySettings>>(true);

const DOCS = join(import.meta.dirname, '..', '..', 'docs');
const PHONE = { width: 375, height: 812 };
const DESKTOP = { width: 1100, height: 800 };
const GENERAL_PASSWORD = 'nothing fancy at all here';
const SLOW = 60_000;

const scene = browserScene();


/** Script errors and CSP or Trusted Types refusals seen by any page of the current test fail it. */
const { contexts, problems } = watchedContexts();

/** A fresh browser (nothing shared with another person's), showing the console. */
async function openConsole(viewport: { width: number; height: number } = DESKTOP): Promise<Page> {
  const context = await scene.browser.newContext({ viewport });
  contexts.push(context);
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  watchForPageProblems(page, problems);
  await page.goto(`${scene.api.url}/`);
  await heading(page, 'Sign in').waitFor();
  return page;
}

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });
const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const link = (page: Page, name: string) => page.getByRole('link', { name, exact: true });
const ruleState = (page: Page, code: string) => page.locator(`[data-rule="${code}"]`).first().getAttribute('data-state');

/** The text a screen reader reads with the field: everything its aria-describedby points at. */
const describedText = (page: Page, label: string): Promise<string> =>
  field(page, label).evaluate((input) =>
    (input.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .map((id: string) => input.ownerDocument.getElementById(id)?.textContent ?? '')
      .join(' '),
  );

/** The element that has the focus, as tag and text. */
const focused = (page: Page) => page.evaluate(() => ({ tag: document.activeElement?.tagName, text: document.activeElement?.textContent }));

/** docs/console-<name>.png, kept once made (ids change every run); UPDATE_SCREENSHOTS=1 makes them again. */
async function screenshot(page: Page, name: string): Promise<void> {
  const path = join(DOCS, `console-${name}.png`);
  if (process.env.UPDATE_SCREENSHOTS !== '1' && (await stat(path).catch(() => undefined))) return;
  await mkdir(DOCS, { recursive: true });
  await page.screenshot({ path, fullPage: true });
}

async function signInOnScreen(page: Page, companyId: string, email: string, password: string): Promise<void> {
  await field(page, 'Company ID').fill(companyId);
  await field(page, 'Email address').fill(email);
  await field(page, 'Password').fill(password);
  await button(page, 'Sign in').click();
}

/** A new company whose master has chosen his own password (MASTER_PASSWORD). */
async function companyWithMaster(): Promise<ProvisionedCompany> {
  const company = await provisionTestCompany(scene.directory);
  await signInMaster(scene.api, company);
  return company;
}

/** The master, with his own password already chosen, signed in through the screens. */
async function masterOnScreen(company: ProvisionedCompany): Promise<Page> {
  const page = await openConsole();
  await signInOnScreen(page, company.companyId, company.masterEmail, MASTER_PASSWORD);
  await heading(page, 'Settings').waitFor();
  return page;
}

/** A company whose master chose his password, with one general administrator who chose his. */
async function companyWithGeneral(canChangeOwnPassword = false) {
  const company = await provisionTestCompany(scene.directory);
  const master = await signInMaster(scene.api, company);
  const general = await createGeneralAdmin(scene.api, master, `gil@${company.companyId}.example`, { canChangeOwnPassword });
  await signInReplacingTemporary(scene.api, company.companyId, general.email, general.temporaryPassword, GENERAL_PASSWORD);
  return { company, master, general };
}

/** Settings > Admin > Admin settings > [Edit] of the administrator. */
async function openEdit(page: Page, name: string): Promise<void> {
  await link(page, 'Settings').click();
  await link(page, 'Admin settings').first().click();
  await heading(page, 'Admin settings').waitFor();
  await link(page, `Edit ${name}`).click();
  await heading(page, `Edit ${name}`).waitFor();
}

/** What the operator's enable-feature does (the ops commands have their own tests). */
const enablePolicyFeature = (companyId: string) => enablePasswordPolicySettings(scene.directory, companyId);

describe('when the master signs in for the first time with the temporary password the operator gave him', () => {
  it('asks for a new password on the next screen, ticks the policy as he types, then shows Settings', async () => {
    const company = await provisionTestCompany(scene.directory);
    const page = await openConsole(PHONE);
    await screenshot(page, 'sign-in');

    await signInOnScreen(page, company.companyId, company.masterEmail, company.masterTemporaryPassword);
    await heading(page, 'Set a new password').waitFor();
    const explanation = await page.locator('main').innerText();
    await field(page, 'New password').fill('short');
    const whileShort = { length: await ruleState(page, 'TOO_SHORT'), same: await ruleState(page, 'SAME_AS_CURRENT'), common: await ruleState(page, 'COMMON_PASSWORD') };
    await field(page, 'New password').fill(company.masterTemporaryPassword);
    const whileTemporary = await ruleState(page, 'SAME_AS_CURRENT');
    await field(page, 'New password').fill(MASTER_PASSWORD);
    const whileGood = { length: await ruleState(page, 'TOO_SHORT'), same: await ruleState(page, 'SAME_AS_CURRENT'), personal: await ruleState(page, 'CONTAINS_PERSONAL_INFO') };
    await field(page, 'Confirm new password').fill(MASTER_PASSWORD);
    await screenshot(page, 'new-password');
    await button(page, 'Change Password').click();
    await heading(page, 'Settings').waitFor();

    expect(explanation).toMatch(/temporary password/i);
    expect(explanation).toMatch(/at least 15 characters/i);
    expect(whileShort).toEqual({ length: 'unmet', same: 'met', common: 'server' });
    expect(whileTemporary).toBe('unmet');
    expect(whileGood).toEqual({ length: 'met', same: 'met', personal: 'met' });
    expect(await page.locator('main').innerText()).toMatch(/new password is set/i);
    expect(await page.getByRole('banner').innerText()).toContain('Mia Master (Master administrator)');
    expect((await signIn(scene.api, company.companyId, company.masterEmail, MASTER_PASSWORD)).token).toEqual(expect.any(String));
  }, SLOW);
});

describe('when the master registers an administrator with [Add administrator]', () => {
  it('generates a temporary password that keeps the policy, and the new administrator signs in with it', async () => {
    const company = await companyWithMaster();
    const page = await masterOnScreen(company);
    const email = `ada@${company.companyId}.example`;

    await link(page, 'Admin settings').first().click();
    await link(page, 'Add administrator').click();
    await heading(page, 'Add administrator').waitFor();
    await field(page, 'Name').fill('Ada Admin');
    await field(page, 'Email address').fill(email);
    await page.getByRole('checkbox', { name: 'May change own password' }).check();
    await page.getByRole('radio', { name: 'Set a temporary password' }).check();
    await button(page, 'Generate').click();
    const temporary = await field(page, 'Temporary password').inputValue();
    await button(page, 'Register').click();
    await heading(page, 'Admin settings').waitFor();
    const row = await page.locator('tr', { hasText: email }).innerText();

    expect(row).toMatch(/Ada Admin[^]*General administrator[^]*Permitted[^]*Active/);
    const challenge = await scene.api.request('POST', '/sign-in', { body: { companyId: company.companyId, email, password: temporary } });
    expect(challenge.body.challenge).toBe('NEW_PASSWORD_REQUIRED');
  }, SLOW);

  it('lists the administrators a page at a time', async () => {
    const company = await provisionTestCompany(scene.directory);
    const master = await signInMaster(scene.api, company);
    for (let index = 0; index < 21; index += 1) await createGeneralAdmin(scene.api, master, `admin${index}@${company.companyId}.example`);
    const page = await masterOnScreen(company);

    await link(page, 'Admin settings').first().click();
    await heading(page, 'Admin settings').waitFor();
    const first = await page.locator('tbody tr').count();
    await button(page, 'Next page').click();
    await page.getByText('Page 2').waitFor();
    const second = await page.locator('tbody tr').count();
    await button(page, 'Previous page').click();
    await page.getByText('Page 1').waitFor();

    expect([first, second]).toEqual([20, 2]);
    expect(await page.locator('tbody tr').count()).toBe(20);
  }, SLOW);
});

describe('when a general administrator has not been given the permission (pre-setting)', () => {
  it('tells him to ask the Master administrator; once the master selects [Change Password] and registers, he changes his own password', async () => {
    const { company, general } = await companyWithGeneral(false);
    const gil = await openConsole(PHONE);
    await signInOnScreen(gil, company.companyId, general.email, GENERAL_PASSWORD);
    await heading(gil, 'Settings').waitFor();
    const menuOfGeneral = await gil.locator('main').innerText();
    await link(gil, 'My account').first().click();
    await heading(gil, 'My account').waitFor();
    const before = await gil.locator('main').innerText();

    // Pre-setting: Settings > Admin > Admin settings > [Edit] > "Sign-in password": select [Change Password], register.
    const master = await masterOnScreen(company);
    await screenshot(master, 'settings');
    await link(master, 'Admin settings').first().click();
    await heading(master, 'Admin settings').waitFor();
    await screenshot(master, 'admin-settings');
    await link(master, 'Edit Gil General').click();
    await heading(master, 'Edit Gil General').waitFor();
    const signInPassword = master.getByRole('group', { name: 'Sign-in password' });
    await signInPassword.getByRole('checkbox', { name: 'May change own password' }).check();
    await screenshot(master, 'edit-admin');
    await button(master, 'Register').click();
    await heading(master, 'Admin settings').waitFor();
    const row = await master.locator('tr', { hasText: general.email }).innerText();

    // Gil opens My account again: the "Sign-in password" item is there now.
    await link(gil, 'My account').first().click();
    await gil.getByRole('heading', { name: 'Sign-in password' }).waitFor();
    await screenshot(gil, 'my-account');
    await link(gil, 'Change Password').click();
    await heading(gil, 'Change Password').waitFor();
    await field(gil, 'Current password').fill('not my password at all');
    await field(gil, 'New password').fill('quiet river second passphrase');
    await field(gil, 'Confirm new password').fill('quiet river second passphrase');
    await button(gil, 'Change Password').click();
    await gil.getByText('The current password is incorrect.').waitFor();
    const wrongCurrent = await describedText(gil, 'Current password');
    const invalid = await field(gil, 'Current password').getAttribute('aria-invalid');
    const focusAfterRefusal = await field(gil, 'Current password').evaluate((input) => input === document.activeElement);
    await field(gil, 'Current password').fill(GENERAL_PASSWORD);
    await screenshot(gil, 'change-password');
    await button(gil, 'Change Password').click();
    await heading(gil, 'My account').waitFor();

    expect(menuOfGeneral).not.toContain('Admin settings');
    expect(before).toContain('Please request the change from the Master administrator.');
    expect(before).not.toContain('Sign-in password');
    expect(row).toMatch(/Permitted/);
    expect(wrongCurrent).toContain('The current password is incorrect.');
    expect(invalid).toBe('true');
    expect(focusAfterRefusal).toBe(true);
    expect(await gil.locator('main').innerText()).toMatch(/Your password has been changed/);
    expect((await signIn(scene.api, company.companyId, general.email, 'quiet river second passphrase')).token).toEqual(expect.any(String));
  }, SLOW);
});

describe("when the master changes his own password from his own Edit screen", () => {
  it('asks the current and the new password, then the Edit screen reappears and [Register] completes', async () => {
    const company = await companyWithMaster();
    const page = await masterOnScreen(company);

    await openEdit(page, 'Mia Master');
    const ownItem = await page.getByRole('group', { name: 'Sign-in password' }).innerText();
    const permissionShown = await page.getByRole('checkbox', { name: 'May change own password' }).isVisible();
    await link(page, 'Change Password').click();
    await heading(page, 'Change Password').waitFor();
    await field(page, 'Current password').fill(MASTER_PASSWORD);
    await field(page, 'New password').fill('too short');
    await field(page, 'Confirm new password').fill('too short');
    await button(page, 'Change Password').click();
    await page.getByText(/Use at least 15 characters; this one has 9\./).waitFor();
    const refusal = await describedText(page, 'New password');
    await field(page, 'New password').fill('a brand new chief passphrase');
    await field(page, 'Confirm new password').fill('a brand new chief passphrase');
    await button(page, 'Change Password').click();
    await heading(page, 'Edit Mia Master').waitFor();
    const notice = await page.getByRole('status').first().innerText();
    await button(page, 'Register').click();
    await heading(page, 'Admin settings').waitFor();

    expect(ownItem).not.toContain('Reset Password');
    expect(ownItem).toContain('A master administrator may always change his own password.');
    expect(permissionShown).toBe(false);
    expect(refusal).toMatch(/Use at least 15 characters; this one has 9\./);
    expect(notice).toMatch(/Your password has been changed/);
    expect(notice).not.toMatch(/Register/);
    expect(await page.locator('main').innerText()).toMatch(/Registered/);
    expect((await signIn(scene.api, company.companyId, company.masterEmail, 'a brand new chief passphrase')).token).toEqual(expect.any(String));
  }, SLOW);
});

describe("when the master sets a temporary password with [Change Password]", () => {
  it('shows the server refusal at the field, generates one shown once, and the person must replace it at his next sign-in', async () => {
    const { company, general } = await companyWithGeneral(false);
    const page = await masterOnScreen(company);

    await openEdit(page, 'Gil General');
    await link(page, 'Change Password').click();
    await heading(page, 'Change Password').waitFor();
    await field(page, 'Temporary password').fill('short');
    await button(page, 'Change Password').click();
    await page.getByText(/Use at least 15 characters; this one has 5\./).waitFor();
    const refusal = await describedText(page, 'Temporary password');
    await button(page, 'Generate').click();
    const temporary = await field(page, 'Temporary password').inputValue();
    const shownOnce = await page.locator('.generated').innerText();
    const ticked = await page.locator('[data-rule="TOO_SHORT"]').getAttribute('data-state');
    await screenshot(page, 'temporary-password');
    await button(page, 'Change Password').click();
    await heading(page, 'Edit Gil General').waitFor();
    const notice = await page.getByRole('status').first().innerText();
    await button(page, 'Register').click();
    await heading(page, 'Admin settings').waitFor();

    // Gil, on his phone: the temporary password opens only the new-password step.
    const gil = await openConsole(PHONE);
    await signInOnScreen(gil, company.companyId, general.email, temporary);
    await heading(gil, 'Set a new password').waitFor();
    await field(gil, 'New password').fill('my very own passphrase now');
    await field(gil, 'Confirm new password').fill('my very own passphrase, typo');
    await button(gil, 'Change Password').click();
    const mismatch = await describedText(gil, 'Confirm new password');
    await field(gil, 'Confirm new password').fill('my very own passphrase now');
    await button(gil, 'Change Password').click();
    await heading(gil, 'Settings').waitFor();

    expect(refusal).toMatch(/Use at least 15 characters; this one has 5\./);
    expect(temporary).toMatch(/^\S{20,}$/);
    expect(shownOnce).toMatch(/shown once/i);
    expect(ticked).toBe('met');
    expect(notice).toMatch(/Temporary password set\. Gil General must replace it at his next sign-in, before .+; his sessions were ended\./);
    expect(mismatch).toMatch(/do not match/);
    expect((await scene.api.request('POST', '/sign-in', { body: { companyId: company.companyId, email: general.email, password: GENERAL_PASSWORD } })).status).toBe(401);
    expect((await signIn(scene.api, company.companyId, general.email, 'my very own passphrase now')).token).toEqual(expect.any(String));
  }, SLOW);
});

describe('when the master resets a password with [Reset Password]', () => {
  it('confirms the registered address, sends the link to the one he types, and the person sets a password from the link', async () => {
    const { company, general } = await companyWithGeneral(false);
    const typedAddress = `gil.home@${company.companyId}.example`;
    const page = await masterOnScreen(company);

    await openEdit(page, 'Gil General');
    await link(page, 'Reset Password').click();
    await heading(page, 'Reset Password').waitFor();
    const shownAddress = await field(page, 'Recipient email address').inputValue();
    const hint = await describedText(page, 'Recipient email address');
    await field(page, 'Recipient email address').fill('not an address');
    await button(page, 'Reset').click();
    await page.locator('.errors p').first().waitFor();
    const badAddress = await describedText(page, 'Recipient email address');
    await field(page, 'Recipient email address').fill(typedAddress);
    await screenshot(page, 'reset-password');
    await button(page, 'Reset').click();
    await heading(page, 'Edit Gil General').waitFor();
    const notice = await page.getByRole('status').first().innerText();

    const resetLink = resetLinkOf(await latestEmailTo(typedAddress, /password/i));
    const screen = await page.context().newPage();
    await screen.goto(resetLink);
    await screen.getByLabel('New password', { exact: true }).fill('a fresh start passphrase');
    await screen.getByLabel('Confirm new password', { exact: true }).fill('a fresh start passphrase');
    await screen.getByRole('button', { name: 'Change Password' }).click();
    await screen.getByRole('heading', { name: 'Your password has been changed' }).waitFor();

    const gil = await openConsole(PHONE);
    await signInOnScreen(gil, company.companyId, general.email, 'a fresh start passphrase');
    await heading(gil, 'Settings').waitFor();

    expect(shownAddress).toBe(general.email);
    expect(hint).toContain('The address registered for Gil General is shown; you can enter any address.');
    expect(badAddress).toMatch(/email/i);
    expect(notice).toContain(`sent to ${typedAddress}`);
  }, SLOW);
});

describe('when the operator has enabled the password policy settings for the company', () => {
  it('shows Company settings > Password policy settings; the server judges the values, and the new rules appear on the password screens', async () => {
    const company = await companyWithMaster();
    await enablePolicyFeature(company.companyId);
    const page = await masterOnScreen(company);

    await page.getByRole('heading', { name: 'Company settings' }).waitFor();
    await link(page, 'Password policy settings').click();
    await heading(page, 'Password policy settings').waitFor();
    await field(page, 'Minimum length (characters)').fill('5');
    await button(page, 'Save').click();
    await page.locator('.errors p').first().waitFor();
    const refusal = await describedText(page, 'Minimum length (characters)');
    await field(page, 'Minimum length (characters)').fill('20');
    await page.getByRole('checkbox', { name: 'Require a digit' }).check();
    await button(page, 'Save').click();
    await page.getByText(/^Saved\./).waitFor();
    const rules = await page.getByRole('region', { name: 'As the password screens show it' }).innerText();
    await screenshot(page, 'password-policy');

    await link(page, 'My account').first().click();
    await link(page, 'Change Password').click();
    await heading(page, 'Change Password').waitFor();
    await field(page, 'New password').fill('no digits here at all');
    const withoutDigit = await ruleState(page, 'MISSING_DIGIT');
    await field(page, 'New password').fill('one digit 4 here at all');
    const withDigit = { digit: await ruleState(page, 'MISSING_DIGIT'), length: await ruleState(page, 'TOO_SHORT') };

    expect(refusal).toMatch(/8/);
    expect(rules).toMatch(/At least 20 characters/);
    expect(rules).toMatch(/At least one digit/);
    expect(withoutDigit).toBe('unmet');
    expect(withDigit).toEqual({ digit: 'met', length: 'met' });
  }, SLOW);
});

describe('when the operator has not enabled the password policy settings', () => {
  it('does not show the item, and the address of the screen says it is not available', async () => {
    const company = await companyWithMaster();
    const page = await masterOnScreen(company);

    const menu = await page.locator('main').innerText();
    await page.evaluate(() => {
      window.location.hash = '#/settings/company/password-policy';
    });
    await heading(page, 'Password policy settings').waitFor();

    expect(menu).not.toContain('Password policy settings');
    expect(menu).not.toContain('Company settings');
    expect(await page.locator('main').innerText()).toMatch(/not available for your company.*inquiry form/);
    expect(await page.getByRole('spinbutton').count()).toBe(0);
  }, SLOW);
});

describe('when another master changed the administrator after the Edit screen was opened', () => {
  it('refuses the stale [Register] instead of overwriting, and [Reload] shows the current values', async () => {
    const { company, master, general } = await companyWithGeneral(false);
    const page = await masterOnScreen(company);
    await openEdit(page, 'Gil General');
    await field(page, 'Name').fill('Gil Renamed Here');

    const read = await scene.api.request('GET', `/admins/${general.adminId}`, { token: master.token });
    await scene.api.request('PATCH', `/admins/${general.adminId}`, { token: master.token, headers: { 'if-match': read.headers.get('etag')! }, body: { name: 'Gil By Another Master' } });
    await button(page, 'Register').click();
    const alert = page.getByRole('alert').filter({ hasText: /Another master changed this administrator/ });
    await alert.waitFor();
    const focus = await focused(page);
    await button(page, 'Reload').click();
    await heading(page, 'Edit Gil By Another Master').waitFor();

    expect(focus.text).toMatch(/Another master changed/);
    expect(await field(page, 'Name').inputValue()).toBe('Gil By Another Master');
    expect((await scene.api.request('GET', `/admins/${general.adminId}`, { token: master.token })).body.name).toBe('Gil By Another Master');
  }, SLOW);
});

describe('when an administrator is locked out by failed sign-ins', () => {
  it('shows him locked, [Unlock] lifts it, and the audit log lists both, narrowed to him', async () => {
    const { company, general } = await companyWithGeneral(false);
    for (let attempt = 0; attempt < 10; attempt += 1) {
      await scene.api.request('POST', '/sign-in', { body: { companyId: company.companyId, email: general.email, password: 'a wrong guess' } });
    }
    const page = await masterOnScreen(company);

    await link(page, 'Admin settings').first().click();
    const row = await page.locator('tr', { hasText: general.email }).innerText();
    await link(page, 'Edit Gil General').click();
    await button(page, 'Unlock').click();
    await page.getByRole('status').filter({ hasText: 'Unlocked: Gil General can sign in again.' }).waitFor();
    const lockShown = await page.getByRole('heading', { name: 'Sign-in lock' }).count();
    const signedIn = await signIn(scene.api, company.companyId, general.email, GENERAL_PASSWORD);

    await link(page, 'Audit log of Gil General').click();
    await heading(page, 'Audit log').waitFor();
    const events = await page.locator('tbody').innerText();
    await screenshot(page, 'audit-log');
    const filter = await page.getByLabel('Events about').inputValue();
    await page.getByLabel('Events about').selectOption('');
    await button(page, 'Show').click();
    await page.locator('tr[data-type="COMPANY_CREATED"]').waitFor();

    expect(row).toMatch(/Locked until/);
    expect(lockShown).toBe(0);
    expect(signedIn.token).toEqual(expect.any(String));
    expect(events).toMatch(/Unlocked/);
    expect(events).toMatch(/Locked after failed sign-ins/);
    expect(events).not.toMatch(/Company created/);
    expect(filter).toBe(general.adminId);
  }, SLOW);
});

describe('when the console is served and used', () => {
  it('sends a strict hash-based CSP, no Referer and nothing to cache', async () => {
    const response = await scene.api.request('GET', '/');
    expectInlinePageSecurity(response);
    expect(response.text).toMatch(/^<!doctype html>\n<html lang="en">/);
    const markup = response.text.replace(/<script>[^]*<\/script>/, '').replace(/<style>[^]*<\/style>/, '');
    expect(markup).not.toMatch(/\b(src|href)\s*=/i);
    expect(markup.match(/<h1\b/g)).toHaveLength(1);
  });

  it('keeps the session in memory only, moves the focus to each new screen, and fits a phone', async () => {
    const { company, general } = await companyWithGeneral(false);
    const page = await openConsole(PHONE);
    await signInOnScreen(page, company.companyId, general.email, GENERAL_PASSWORD);
    await heading(page, 'Settings').waitFor();
    const focusOnArrival = await focused(page);
    const stored = await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length, cookies: document.cookie }));
    const widths = await page.evaluate(() => ({ content: document.documentElement.scrollWidth, screen: window.innerWidth }));
    const address = page.url();

    await link(page, 'My account').first().click();
    await heading(page, 'My account').waitFor();
    const focusAfterMove = await focused(page);
    await link(page, 'Skip to content').focus();
    await page.keyboard.press('Enter');
    const afterSkip = await focused(page);
    await page.reload();
    await heading(page, 'Sign in').waitFor();
    // Signed in again, the console goes on to the screen that was open.
    await signInOnScreen(page, company.companyId, general.email, GENERAL_PASSWORD);
    await heading(page, 'My account').waitFor();

    expect(focusOnArrival).toEqual({ tag: 'H1', text: 'Settings' });
    expect(stored).toEqual({ local: 0, session: 0, cookies: '' });
    expect(widths.content).toBeLessThanOrEqual(widths.screen);
    expect(address).not.toMatch(/token|session/i);
    expect(focusAfterMove).toEqual({ tag: 'H1', text: 'My account' });
    expect(afterSkip).toEqual({ tag: 'H1', text: 'My account' });
  }, SLOW);
});
