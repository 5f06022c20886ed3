// Stops what the global setup started, and reports how many answers of the local API were held to the OpenAPI
// document (test/support/contract.ts) in this run.
import { readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';

export default async function globalTeardown(): Promise<void> {
  await globalThis.adminpassTestStack?.stop();
  const file = process.env.CONTRACT_REPORT_FILE;
  if (file === undefined) return;
  let lines: string[] = [];
  try {
    lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } catch {
    return; // no test file started the API
  } finally {
    rmSync(dirname(file), { recursive: true, force: true });
  }
  const totals = lines.map((line) => JSON.parse(line) as { checked: number; mismatched: number }).reduce((sum, one) => ({ checked: sum.checked + one.checked, mismatched: sum.mismatched + one.mismatched }), { checked: 0, mismatched: 0 });
  console.log(`\nOpenAPI contract: ${totals.checked} answers of the local API checked against GET /openapi.json, ${totals.mismatched} mismatched.`);
}
