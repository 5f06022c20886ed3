// Browser tests: Settings > Admin > Admin settings in Chromium against the local API (the real handlers, DynamoDB
// Local and the SES emulator): each admin's state on the list and the Edit screen, Disable (confirmed) and Enable,
// and an invitation by email whose set-up link arrives in the emulator's inbox and is used. Every screen is checked
// with axe at desktop and phone widths.
import type { BrowserContext, Page } from 'playwright-core';
import { CHECKED_WIDTHS, violationsAtCheckedWidths } from '../support/accessibility';
import { browserScene } from '../support/browser';
import { provisionTestCompany, type ProvisionedCompany } from '../support/companies';
import { latestEmailTo, resetLinkOf } from '../support/inbox';
import { MASTER_PASSWORD, createGeneralAdmin, signIn, signInMaster, signInReplacingTemporary, type SignedIn } from '../support/scenario';

const OWN_PASSWORD = 'my very own passphrase now';
const SLOW = 180_000;

const scene = browserScene();

const contexts: BrowserContext[] = [];
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });
const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const link = (page: Page, name: string) => page.getByRole('link', { name, exact: true });
const notice = (page: Page) => page.getByRole('status').first().innerText();
const rowOf = (page: Page, email: string) => page.locator('tr', { hasText: email }).innerText();

/** The company's master, signed in through the screens of a fresh browser. */
async function masterOnScreen(company: ProvisionedCompany): Promise<Page> {
  const context = await scene.browser.newContext({ viewport: CHECKED_WIDTHS.desktop });
  contexts.push(context);
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  await page.goto(`${scene.api.url}/`);
  await field(page, 'Company ID').fill(company.companyId);
  await field(page, 'Email address').fill(company.masterEmail);
  await field(page, 'Password').fill(MASTER_PASSWORD);
  await button(page, 'Sign in').click();
  await heading(page, 'Settings').waitFor();
  return page;
}

async function openList(page: Page): Promise<void> {
  await link(page, 'Settings').first().click();
  await heading(page, 'Settings').waitFor();
  await link(page, 'Admin settings').first().click();
  await heading(page, 'Admin settings').waitFor();
}

async function openEdit(page: Page, name: string): Promise<void> {
  await openList(page);
  await link(page, `Edit ${name}`).click();
  await heading(page, `Edit ${name}`).waitFor();
}

/** A company whose master chose his password. */
async function companyWithMaster(): Promise<{ company: ProvisionedCompany; master: SignedIn }> {
  const company = await provisionTestCompany(scene.directory);
  return { company, master: await signInMaster(scene.api, company) };
}

/** Signs in until it works: the link's page sets the password a moment after the click. */
async function signInOnceSet(companyId: string, email: string, password: string): Promise<SignedIn> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await signIn(scene.api, companyId, email, password);
    } catch (error) {
      if (attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

describe('when the master opens Admin settings', () => {
  it('shows each administrator\'s state, where a reset link went (a typed address masked) and the last sign-in; the Edit screen in full', async () => {
    // Prepare
    const { company, master } = await companyWithMaster();
    const domain = `${company.companyId}.example`;
    const waiting = await createGeneralAdmin(scene.api, master, `tia@${domain}`);
    const signedIn = await createGeneralAdmin(scene.api, master, `sam@${domain}`);
    await signInReplacingTemporary(scene.api, company.companyId, signedIn.email, signedIn.temporaryPassword, OWN_PASSWORD);
    const reset = await createGeneralAdmin(scene.api, master, `rex@${domain}`);
    const typed = `rex.home@${domain}`;
    expect((await scene.api.request('POST', `/admins/${reset.adminId}/password-reset`, { token: master.token, body: { email: typed } })).status).toBe(202);
    const disabled = await createGeneralAdmin(scene.api, master, `dan@${domain}`);
    expect((await scene.api.request('DELETE', `/admins/${disabled.adminId}`, { token: master.token })).status).toBe(204);
    const page = await masterOnScreen(company);

    // Act
    await openList(page);
    const headers = await page.locator('thead th').allInnerTexts();
    const rows = { waiting: await rowOf(page, waiting.email), signedIn: await rowOf(page, signedIn.email), reset: await rowOf(page, reset.email), disabled: await rowOf(page, disabled.email) };
    const listViolations = await violationsAtCheckedWidths(page);
    await page.locator('tr', { hasText: reset.email }).getByRole('link').click();
    await heading(page, 'Edit Gil General').waitFor();
    const edit = await page.locator('main').innerText();
    const editViolations = await violationsAtCheckedWidths(page);

    // Assess
    expect(headers).toEqual(expect.arrayContaining(['May change own password', 'Status', 'Last sign-in']));
    expect(headers).not.toContain('Change Password');
    expect(rows.waiting).toMatch(/Active[^]*Temporary password, to be replaced at sign-in before \S[^]*Never/);
    expect(rows.signedIn).toMatch(/Active[^]*Own password/);
    expect(rows.signedIn).not.toMatch(/Never/);
    expect(rows.reset).toMatch(/Link to set a password sent to r•••@/);
    expect(rows.reset).not.toContain(typed);
    expect(rows.disabled).toMatch(/Disabled/);
    expect(edit).toContain(`Link to set a password sent to ${typed}, valid until`);
    expect(listViolations).toEqual([]);
    expect(editViolations).toEqual([]);
  }, SLOW);
});

describe('when the master disables an administrator and enables him again', () => {
  it('asks for a confirmation, ends his sign-ins, and [Enable] lets him in again with the password he had', async () => {
    // Prepare
    const { company, master } = await companyWithMaster();
    const general = await createGeneralAdmin(scene.api, master, `gil@${company.companyId}.example`);
    await signInReplacingTemporary(scene.api, company.companyId, general.email, general.temporaryPassword, OWN_PASSWORD);
    const page = await masterOnScreen(company);

    // Act
    await openEdit(page, 'Gil General');
    await link(page, 'Disable').click();
    await heading(page, 'Disable Gil General?').waitFor();
    const confirmation = await page.locator('main').innerText();
    const confirmViolations = await violationsAtCheckedWidths(page);
    await button(page, 'Disable').click();
    await heading(page, 'Edit Gil General').waitFor();
    const disabledNotice = await notice(page);
    const whileDisabled = await scene.api.request('POST', '/sign-in', { body: { companyId: company.companyId, email: general.email, password: OWN_PASSWORD } });
    const disabledViolations = await violationsAtCheckedWidths(page);
    await button(page, 'Enable').click();
    await page.getByText(/^Enabled Gil General/).waitFor();
    const enabledNotice = await notice(page);
    const state = await page.getByRole('region', { name: 'State' }).innerText();
    await openList(page);
    const row = await rowOf(page, general.email);

    // Assess
    expect(confirmation).toMatch(/can no longer sign in/);
    expect(confirmViolations).toEqual([]);
    expect(disabledNotice).toMatch(/Disabled Gil General/);
    expect(whileDisabled.status).toBe(401);
    expect(disabledViolations).toEqual([]);
    expect(enabledNotice).toMatch(/Enabled Gil General: he can sign in again\. Own password\./);
    expect(state).toMatch(/Active/);
    expect(row).toMatch(/Active/);
    expect((await signIn(scene.api, company.companyId, general.email, OWN_PASSWORD)).token).toEqual(expect.any(String));
  }, SLOW);
});

describe('when the master adds an administrator who is invited by email', () => {
  it('sends him a set-up link instead of a temporary password; he sets his own password with it', async () => {
    // Prepare
    const { company } = await companyWithMaster();
    const email = `ivy@${company.companyId}.example`;
    const page = await masterOnScreen(company);

    // Act
    await openList(page);
    await link(page, 'Add administrator').click();
    await heading(page, 'Add administrator').waitFor();
    const temporaryShownAtFirst = await field(page, 'Temporary password').isVisible();
    const addViolations = await violationsAtCheckedWidths(page);
    await field(page, 'Name').fill('Ivy Invited');
    await field(page, 'Email address').fill(email);
    await button(page, 'Register').click();
    await heading(page, 'Admin settings').waitFor();
    const registered = await notice(page);
    const row = await rowOf(page, email);
    const invitation = await latestEmailTo(email, /added you as an administrator/);
    const screen = await page.context().newPage();
    await screen.goto(resetLinkOf(invitation));
    // An invitation is a set-up link: the screen asks him to set his password, not to reset one.
    await screen.getByRole('heading', { level: 1, name: 'Set your password' }).waitFor();
    await screen.getByLabel('New password', { exact: true }).fill(OWN_PASSWORD);
    await screen.getByLabel('Confirm new password', { exact: true }).fill(OWN_PASSWORD);
    await screen.getByRole('button', { name: 'Set Password' }).click();
    const session = await signInOnceSet(company.companyId, email, OWN_PASSWORD);
    await openList(page);
    const rowAfter = await rowOf(page, email);

    // Assess
    expect(temporaryShownAtFirst).toBe(false);
    expect(addViolations).toEqual([]);
    expect(registered).toMatch(new RegExp(`Registered Ivy Invited\\. A link to set his password was sent to ${email.replace(/\./g, '\\.')}, valid until \\S`));
    expect(row).toMatch(/Link to set a password sent to his address, valid until/);
    expect(invitation.body.text).toContain('Mia Master added you as an administrator');
    expect(invitation.body.text).toContain(`"${company.companyId}"`);
    expect(invitation.body.text).not.toMatch(/temporary password/i);
    expect(session.token).toEqual(expect.any(String));
    expect(rowAfter).toMatch(/Own password/);
    expect(rowAfter).not.toMatch(/Never/);
  }, SLOW);
});
