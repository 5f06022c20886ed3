// Entry point: the CDK app: both stacks of one stage (`-c stage=prod`, default dev) and their account stack, built
// from the stage's file in config/stages/ and checked by cdk-nag's AWS Solutions rules on every synth. A stage that
// names its account is pinned to it, and refused with credentials of another; dev names none and synthesizes offline.
// `npm run deploy -- --stage prod` (bin/deploy.ts) runs it.
import { App } from 'aws-cdk-lib';
import { checkCredentialsAccount, DISPOSABLE_STAGE, readAppContext, type AppContext } from '../lib/app-context';
import { checkWithCdkNag, defineAdminpass } from '../lib/adminpass';
import { loadStageSettings } from '../lib/stage-files';

const app = new App();

let context: AppContext;
try {
  const stage = String(app.node.tryGetContext('stage') ?? DISPOSABLE_STAGE);
  context = readAppContext(app, await loadStageSettings(stage));
  // The CDK CLI sets CDK_DEFAULT_ACCOUNT to the account of the credentials it found; offline there is none.
  checkCredentialsAccount(context, process.env.CDK_DEFAULT_ACCOUNT);
} catch (error) {
  // One line naming the bad or missing value, not a stack trace.
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

defineAdminpass(app, context);
checkWithCdkNag(app);
app.synth();
