// Browser tests: axe-core finds no violation on the screens a person sees before signing in, on a desktop and a
// phone. The screens after sign-in are checked in the tests that reach them.
import type { Page } from 'playwright-core';
import { accessibilityViolations } from '../support/accessibility';
import { browserScene } from '../support/browser';

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

  it('the Password Change Screen opened without a link has no accessibility violation', async () => {
    const page = await openAt(viewport, '/password-reset');
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  });
});
