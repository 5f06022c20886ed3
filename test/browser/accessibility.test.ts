// Browser tests: axe-core finds no violation on the console's screens, at desktop and phone widths: those a person
// sees before signing in, and the master's own (Settings, My account, the password policy, an admin's password
// screens). The admin list, the Edit, Add and Disable screens, the audit log and every state of the Password Change
// Screen are checked in the tests that reach them (admins, audit-log, password-change-screen).
import type { Page } from 'playwright-core';
import { CHECKED_WIDTHS, accessibilityViolations, violationsAtCheckedWidths } from '../support/accessibility';
import { browserScene } from '../support/browser';
import { enablePasswordPolicySettings, provisionTestCompany } from '../support/companies';
import { MASTER_PASSWORD, createGeneralAdmin, signInMaster } from '../support/scenario';

const scene = browserScene();
// Signing in and rendering each screen twice takes a while on a busy 2-core machine.
const SLOW = 120_000;

async function openAt(viewport: { width: number; height: number }, path: string): Promise<Page> {
  const context = await scene.browser.newContext({ viewport });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  await page.goto(`${scene.api.url}${path}`);
  return page;
}

describe.each(Object.entries(CHECKED_WIDTHS))('on a %s', (_width, viewport) => {
  it('the console sign-in screen has no accessibility violation', async () => {
    const page = await openAt(viewport, '/');
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('the Password Change Screen opened without a link has no accessibility violation', async () => {
    const page = await openAt(viewport, '/password-reset');
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  });
});

describe('when a master is signed in', () => {
  it('Settings, My account, Change Password, the password policy and an admin\'s password screens have no accessibility violation', async () => {
    // Prepare
    const company = await provisionTestCompany(scene.directory);
    await enablePasswordPolicySettings(scene.directory, company.companyId);
    const master = await signInMaster(scene.api, company);
    const general = await createGeneralAdmin(scene.api, master, `gil@${company.companyId}.example`);
    const page = await openAt(CHECKED_WIDTHS.desktop, '/');
    await page.getByLabel('Company ID', { exact: true }).fill(company.companyId);
    await page.getByLabel('Email address', { exact: true }).fill(company.masterEmail);
    await page.getByLabel('Password', { exact: true }).fill(MASTER_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    const screens = [
      ['#/settings', 'Settings'],
      ['#/my-account', 'My account'],
      ['#/my-account/change-password', 'Change Password'],
      ['#/settings/company/password-policy', 'Password policy settings'],
      [`#/settings/admins/${general.adminId}/change-password`, 'Change Password'],
      [`#/settings/admins/${general.adminId}/reset-password`, 'Reset Password'],
    ] as const;

    // Act
    const found: string[] = [];
    for (const [hash, title] of screens) {
      await page.evaluate((target) => ((globalThis as unknown as { location: { hash: string } }).location.hash = target), hash);
      await page.getByRole('heading', { level: 1, name: title, exact: true }).waitFor();
      found.push(...(await violationsAtCheckedWidths(page)).map((violation) => `${hash} ${violation}`));
    }

    // Assess
    expect(found).toEqual([]);
    await page.context().close();
  }, SLOW);
});
