// The OpenAPI document GET /openapi.json serves, through the tools a client developer points at it: Redocly CLI's
// linter (its recommended rules, with the exceptions redocly.yaml justifies) and openapi-typescript, whose output must
// be the types the client package holds and compile with the package and its type-level checks.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { handler } from '../../functions/openapi/handler';
import { CLIENT_SCHEMA_FILE, generateTypes, toolBin } from '../../local/openapi-types';
import { apiEvent, lambdaContext } from '../handlers/events';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// Each tool starts a Node process and reads a 100 KB document; tsc compiles the client package: on two busy cores
// that outlasts the default.
const TOOL_TIMEOUT_MS = 180_000;

let dir: string;
let documentFile: string;
let served: string;
beforeAll(async () => {
  served = (await handler(apiEvent('GET', '/openapi.json'), lambdaContext())).body;
  dir = await mkdtemp(join(tmpdir(), 'adminpass-openapi-tools-'));
  documentFile = join(dir, 'openapi.json');
  await writeFile(documentFile, served);
});
afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

/** Runs a tool, answering its output also when it exits non-zero (a linter with findings). */
async function tool(file: string, args: string[]): Promise<string> {
  try {
    return (await run(file, args, { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 })).stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    if (stdout) return stdout;
    throw new Error(`${file} failed: ${stderr ?? String(error)}`);
  }
}

describe('when Redocly CLI lints the served document', () => {
  it(
    'finds no error and no warning with its recommended rules and the exceptions redocly.yaml justifies',
    async () => {
      // Act
      const report = JSON.parse(await tool(toolBin('redocly'), ['lint', documentFile, '--config', join(ROOT, 'redocly.yaml'), '--format', 'json'])) as {
        totals: { errors: number; warnings: number };
        problems: { ruleId: string; message: string }[];
      };

      // Assess
      expect(report.problems.map((problem) => `${problem.ruleId}: ${problem.message}`)).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    },
    TOOL_TIMEOUT_MS,
  );
});

describe('when openapi-typescript generates types from the served document', () => {
  it(
    'generates exactly the types clients/typescript holds (else run `npm run openapi:types`)',
    async () => {
      // Act
      const generated = await generateTypes(served);

      // Assess
      expect(generated).toBe(await readFile(CLIENT_SCHEMA_FILE, 'utf8'));
    },
    TOOL_TIMEOUT_MS,
  );

  it(
    'compiles the client package and its type-level checks of a few operations against the server\'s schemas',
    async () => {
      // Act
      const output = await tool(toolBin('tsc'), ['--noEmit', '-p', join(ROOT, 'clients', 'typescript', 'tsconfig.json')]);

      // Assess
      expect(output).toBe('');
    },
    TOOL_TIMEOUT_MS,
  );
});
