// Entry point: `npm run deploy|diff|destroy -- --stage <stage> [cdk options]`: the CDK CLI on one stage, whose
// settings the app (bin/app.ts) reads from config/stages/<stage>.ts. What it runs is lib/stage-commands.ts.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../lib/bundling';
import { parseStageCommand } from '../lib/stage-commands';
import { loadStageSettings } from '../lib/stage-files';

try {
  const { stage, cdkArguments } = parseStageCommand(process.argv.slice(2));
  // Here as well as in the app: a missing stage file is named before cdk starts.
  await loadStageSettings(stage);
  const run = spawnSync(join(projectRoot, 'node_modules', '.bin', 'cdk'), [...cdkArguments], {
    cwd: projectRoot,
    stdio: 'inherit',
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
  });
  process.exit(run.status ?? 1);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
