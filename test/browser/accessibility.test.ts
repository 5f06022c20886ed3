// Browser tests: axe-core finds no violation on the screens a person sees before signing in, and on the console's
// password screens with their rule checklist, on a desktop and a phone. The other screens after sign-in are checked
// in the tests that reach them.
import type { Page } from 'playwright-core';
import { accessibilityViolations } from '../support/accessibility';
import { browserScene } from '../support/browser';
import { provisionTestCompany } from '../support/companies';
import { MASTER_PASSWORD } from '../support/scenario';
import { SETUP_TIMEOUT_MS } from '../support/timeouts';

const scene = browserScene();
const WIDTHS = { desktop: { width: 1280, height: 800 }, phone: { width: 375, height: 812 } } as const;

async function openAt(viewport: { width: number; height: number }, path: string): Promise<Page> {
  const context = await scene.browser.newContext({ viewport });
  const page = await context.newPage();
  await page.goto(`${scene.api.url}${path}`);
  return page;
}

describe.each(Object.entries(WIDTHS))('on a %s', (_width, viewport) => {
  it('the console sign-in screen has no accessibility violation', async () => {
    const page = await openAt(viewport, '/');
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('the console\'s password screens, their rules ticked as he types, have no accessibility violation', async () => {
    const company = await provisionTestCompany(scene.directory);
    const page = await openAt(viewport, '/');
    const newPassword = page.getByLabel('New password', { exact: true });
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.getByLabel('Company ID').fill(company.companyId);
    await page.getByLabel('Email address').fill(company.masterEmail);
    await page.getByLabel('Password', { exact: true }).fill(company.masterTemporaryPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Set a new password' }).waitFor();
    await newPassword.fill('short');
    const challenge = await accessibilityViolations(page);
    await newPassword.fill(MASTER_PASSWORD);
    await page.getByLabel('Confirm new password', { exact: true }).fill(MASTER_PASSWORD);
    await page.getByRole('button', { name: 'Change Password' }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await page.goto(`${scene.api.url}/#/my-account/change-password`);
    await page.getByRole('heading', { level: 1, name: 'Change Password' }).waitFor();
    await newPassword.fill('short');
    const ownChange = await accessibilityViolations(page);

    expect({ challenge, ownChange }).toEqual({ challenge: [], ownChange: [] });
    await page.context().close();
    // A sign-in and a password change: password hashes and the first start of their functions, slow on busy cores.
  }, SETUP_TIMEOUT_MS);

  it('the Password Change Screen opened without a link has no accessibility violation', async () => {
    const page = await openAt(viewport, '/password-reset');
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  });
});
