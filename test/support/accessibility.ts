// Test support: axe-core, the accessibility engine, run inside a page of a browser test. Its source is evaluated
// through the DevTools protocol rather than added as a <script> tag, so the page's Content-Security-Policy (which
// allows only the page's own script, by hash) stays exactly as served.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

// The arrow functions given to evaluate() run in the page; the project compiles without the DOM library.
declare const document: unknown;
declare const axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> };

interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly unknown[] }[];
}

/** The rule sets checked: WCAG 2.0, 2.1 and 2.2 A and AA, and axe's best practices (heading-order among them). */
const CHECKED_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

let axeSource: Promise<string> | undefined;
const axeSourceText = (): Promise<string> =>
  (axeSource ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));

/**
 * What axe finds wrong with the page as it is now, one line per rule and element ("heading-order (moderate):
 * Heading levels should only increase by one at h3"). An empty list is a page without a detectable violation.
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const source = await axeSourceText();
  const alreadyLoaded = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe === 'object');
  if (!alreadyLoaded) await page.evaluate(source);
  const result = await page.evaluate(
    (tags) => axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    CHECKED_TAGS,
  );
  return result.violations.flatMap((violation) =>
    violation.nodes.map((node) => `${violation.id} (${violation.impact ?? 'unknown'}): ${violation.help} at ${node.target.join(' ')}`),
  );
}

/** Asserts axe finds nothing on the page as it is now. */
export async function expectAccessible(page: Page): Promise<void> {
  expect(await accessibilityViolations(page)).toEqual([]);
}

/** The widths every screen is checked at: a desktop and a phone. */
export const CHECKED_WIDTHS: Readonly<Record<'desktop' | 'phone', { readonly width: number; readonly height: number }>> = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 375, height: 812 },
};

/**
 * What axe finds on the page as it is now at each checked width, each finding prefixed with its width ("phone:
 * heading-order ..."); the page is left at `restore`'s width.
 */
export async function violationsAtCheckedWidths(page: Page, restore: { width: number; height: number } = CHECKED_WIDTHS.desktop): Promise<string[]> {
  const found: string[] = [];
  for (const [width, viewport] of Object.entries(CHECKED_WIDTHS)) {
    await page.setViewportSize(viewport);
    found.push(...(await accessibilityViolations(page)).map((violation) => `${width}: ${violation}`));
  }
  await page.setViewportSize(restore);
  return found;
}
