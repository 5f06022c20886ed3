// Stack test: a function whose route serves a page of console/ is bundled as deployment bundles it, esbuild then
// lib/bundling.ts's afterBundling hook, and its Lambda asset holds the page's script and style sheet in assets/
// beside index.mjs, where the handler reads them. Bundling really runs here (one function, a few seconds).
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { routeList, routes } from '../../functions/contract/routes';
import { PAGE_ASSETS_DIR, PAGE_ASSET_FILES } from '../../functions/http/page-assets';
import { ApiFunction } from '../../lib/api-function';
import { BUNDLE_FILE, assetBuildHooks } from '../../lib/bundling';
import { SYNTH_TIMEOUT_MS } from '../support/timeouts';

describe('when a route that serves a page of console/ is deployed', () => {
  let outdir: string;
  let assetDirs: string[];
  let template: Template;

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'adminpass-page-bundle-'));
    const app = new App({ outdir });
    const stack = new Stack(app, 'Pages');
    new ApiFunction(stack, 'PasswordChangeScreen', { declaration: routes.passwordChangeScreen });
    app.synth();
    template = Template.fromStack(stack);
    assetDirs = readdirSync(outdir).filter((name) => name.startsWith('asset.'));
  }, SYNTH_TIMEOUT_MS);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('bundles the Password Change Screen with its page.js and page.css in assets/, next to index.mjs', () => {
    const [asset] = assetDirs;
    const files = (name: string) => join(outdir, asset!, name);

    expect(assetDirs).toHaveLength(1);
    expect(existsSync(files(BUNDLE_FILE))).toBe(true);
    expect(readdirSync(files(PAGE_ASSETS_DIR)).sort()).toEqual(Object.values(PAGE_ASSET_FILES).sort());
    // The Password Change Screen's own entry, not the console's.
    expect(readFileSync(files(join(PAGE_ASSETS_DIR, PAGE_ASSET_FILES.script)), 'utf8')).toContain('Set your password');
    template.resourceCountIs('AWS::Lambda::Function', 1);
  });
});

describe('when the bundling of each route is chosen', () => {
  it('builds assets exactly for the routes that declare a page, each its own page, into assets/ of the bundle', () => {
    const commands = Object.fromEntries(
      routeList.flatMap((route) => {
        const hooks = assetBuildHooks(route);
        return hooks === undefined ? [] : [[route.operationId, hooks.afterBundling('/in', '/out').join(' ')]];
      }),
    );

    expect(Object.keys(commands).sort()).toEqual(['consolePage', 'passwordChangeScreen']);
    expect(commands.consolePage).toMatch(new RegExp(`build-console\\.ts" console "/out/${PAGE_ASSETS_DIR}"$`));
    expect(commands.passwordChangeScreen).toMatch(new RegExp(`build-console\\.ts" password-change-screen "/out/${PAGE_ASSETS_DIR}"$`));
  });
});
