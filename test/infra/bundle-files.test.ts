// Stack test: a function whose route serves a page of console/, and one that judges new passwords, are bundled as
// deployment bundles them, esbuild then lib/bundling.ts's afterBundling hook: the first's Lambda asset holds the
// page's script and style sheet in assets/, the second's zxcvbn's dictionaries, beside index.mjs, where each reads
// them. Bundling really runs here (two functions, a few seconds).
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { TABLES, type TableKey } from '../../functions/adapters/dynamodb/table-definitions';
import { PASSWORD_DICTIONARIES_FILE, type PasswordDictionaries } from '../../functions/adapters/password-dictionaries/dictionaries-file';
import { routeList, routes } from '../../functions/contract/routes';
import { PAGE_ASSETS_DIR, PAGE_ASSET_FILES } from '../../functions/http/page-assets';
import { ApiFunction } from '../../lib/api-function';
import { BUNDLE_FILE, bundleFileHooks } from '../../lib/bundling';
import { SYNTH_TIMEOUT_MS } from '../support/timeouts';

describe('when a route that serves a page of console/ and one that judges new passwords are deployed', () => {
  let outdir: string;
  let assetDirs: string[];
  let template: Template;
  const filesOf = (asset: string) => readdirSync(join(outdir, asset)).sort();
  const assetWith = (name: string) => assetDirs.find((asset) => filesOf(asset).includes(name));

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'adminpass-page-bundle-'));
    const app = new App({ outdir });
    const stack = new Stack(app, 'Pages');
    new ApiFunction(stack, 'PasswordChangeScreen', { declaration: routes.passwordChangeScreen });
    // The tables it is granted are named ones: only the bundle is looked at here.
    const tables = Object.fromEntries(
      Object.entries(TABLES).map(([key, table]) => [key, dynamodb.TableV2.fromTableName(stack, `Table-${key}`, table.envVar.toLowerCase())]),
    ) as Record<TableKey, dynamodb.ITableV2>;
    new ApiFunction(stack, 'ChangeOwnPassword', { declaration: routes.changeOwnPassword, tables });
    app.synth();
    template = Template.fromStack(stack);
    assetDirs = readdirSync(outdir).filter((name) => name.startsWith('asset.'));
  }, SYNTH_TIMEOUT_MS);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('bundles the Password Change Screen with its page.js and page.css in assets/, next to index.mjs', () => {
    const asset = assetWith(PAGE_ASSETS_DIR);
    const files = (name: string) => join(outdir, asset!, name);

    expect(assetDirs).toHaveLength(2);
    expect(existsSync(files(BUNDLE_FILE))).toBe(true);
    expect(readdirSync(files(PAGE_ASSETS_DIR)).sort()).toEqual(Object.values(PAGE_ASSET_FILES).sort());
    // The Password Change Screen's own entry, not the console's.
    expect(readFileSync(files(join(PAGE_ASSETS_DIR, PAGE_ASSET_FILES.script)), 'utf8')).toContain('Set your password');
    template.resourceCountIs('AWS::Lambda::Function', 2);
  });

  it("bundles the change of one's own password with zxcvbn's dictionaries beside index.mjs, as its bundle reads them", () => {
    const asset = assetWith(PASSWORD_DICTIONARIES_FILE);
    const dictionaries = JSON.parse(readFileSync(join(outdir, asset!, PASSWORD_DICTIONARIES_FILE), 'utf8')) as PasswordDictionaries;

    expect(filesOf(asset!)).toEqual(expect.arrayContaining([BUNDLE_FILE, PASSWORD_DICTIONARIES_FILE]));
    expect(filesOf(asset!)).not.toContain(PAGE_ASSETS_DIR);
    // The packages' own lists, whole: the most common password first, and the English words.
    expect(dictionaries.common.dictionary['passwords-common'][0]).toBe('123456');
    expect(dictionaries.common.dictionary['passwords-common'].length).toBeGreaterThan(40_000);
    expect(dictionaries.english.dictionary['commonWords-en'].length).toBeGreaterThan(10_000);
    expect(Object.keys(dictionaries.common.adjacencyGraphs)).toContain('qwerty');
  });
});

describe('when the bundling of each route is chosen', () => {
  it('writes files beside the bundle exactly for the routes that declare a page or judge new passwords, each with its own handler', () => {
    const commands = Object.fromEntries(
      routeList.flatMap((route) => {
        const hooks = bundleFileHooks(route);
        return hooks === undefined ? [] : [[route.operationId, hooks.afterBundling('/in', '/out').join(' ')]];
      }),
    );

    // The two pages, and the five routes that set a password (they answer PASSWORD_POLICY_VIOLATION).
    expect(Object.keys(commands).sort()).toEqual(
      ['answerNewPasswordChallenge', 'changeOwnPassword', 'completePasswordReset', 'consolePage', 'createAdmin', 'passwordChangeScreen', 'setTemporaryPassword'],
    );
    for (const route of routeList.filter((candidate) => Object.hasOwn(commands, candidate.operationId))) {
      expect(commands[route.operationId]).toMatch(new RegExp(`build-bundle-files\\.ts" ${route.handler} "/out"$`));
    }
  });
});
