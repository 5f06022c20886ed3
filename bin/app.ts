// Entry point: the CDK app: both stacks of one stage, checked by cdk-nag's AWS Solutions rules on every synth.
// Environment-agnostic (no account or region): `cdk synth -c stage=prod -c senderEmail=… -c alarmEmail=…`.
import { App } from 'aws-cdk-lib';
import { readAppContext, type AppContext } from '../lib/app-context';
import { checkWithCdkNag, defineAdminpass } from '../lib/adminpass';

const app = new App();

let context: AppContext;
try {
  context = readAppContext(app);
} catch (error) {
  // One line naming the bad or missing value, not a stack trace.
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

defineAdminpass(app, context);
checkWithCdkNag(app);
app.synth();
