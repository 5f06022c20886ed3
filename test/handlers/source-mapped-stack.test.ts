// Tests of the logged stack of an unexpected failure (functions/http/source-mapped-stack.ts): a bundle built with the
// functions' settings (lib/bundling.ts) fails, and the stack the log would show points at the TypeScript source.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { sourceMappedStack } from '../../functions/http/source-mapped-stack';
import { HANDLER_BUNDLE } from '../../lib/bundling';

const SOURCE = ['// A module that fails.', 'export function failing(): never {', "  throw new Error('the failure under test');", '}', ''].join('\n');

let dir: string;
let stack: string;

beforeAll(async () => {
  // Prepare: the module bundled (minified, with its map beside it) and run until it throws, in a Node process of its
  // own as in Lambda (Jest would map the stack itself).
  dir = await mkdtemp(join(tmpdir(), 'adminpass-source-map-'));
  await writeFile(join(dir, 'failing.ts'), SOURCE);
  await build({ ...HANDLER_BUNDLE, mainFields: [...HANDLER_BUNDLE.mainFields], bundle: true, entryPoints: [join(dir, 'failing.ts')], outfile: join(dir, 'out', 'index.mjs'), logLevel: 'error' });
  const script = `const { failing } = await import(${JSON.stringify(pathToFileURL(join(dir, 'out', 'index.mjs')).href)}); try { failing(); } catch (error) { console.log(error.stack); }`;
  stack = (await promisify(execFile)(process.execPath, ['--input-type=module', '--eval', script])).stdout;
});

afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('when a bundle that ships its source map fails', () => {
  it('shows the failing frame at its TypeScript file and line', () => {
    // Act
    const mapped = sourceMappedStack(stack);

    // Assess: line 3 of failing.ts throws; the bundle itself has one line
    expect(stack).toMatch(/index\.mjs:\d+:\d+/);
    expect(mapped).toMatch(/failing\.ts:3:\d+/);
    expect(mapped).not.toMatch(/index\.mjs:\d+:\d+/);
  });
});

describe('when a stack has no frame in a bundle', () => {
  it('leaves it as it is', () => {
    // Prepare
    const fromSources = new Error('thrown from the TypeScript sources').stack ?? '';

    // Act, Assess
    expect(sourceMappedStack(fromSources)).toBe(fromSources);
  });
});
