// Entry point: the CDK app. Environment-agnostic (no account or region): `cdk synth -c stage=prod -c bcryptCost=13`.
import { App, Tags } from 'aws-cdk-lib';
import { readAppContext, type AppContext } from '../lib/app-context';
import { AdminpassStack, DEV_SENDER_EMAIL } from '../lib/adminpass-stack';

const app = new App();

let context: AppContext;
try {
  context = readAppContext(app);
} catch (error) {
  // One line naming the bad value, not a stack trace.
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

const stack = new AdminpassStack(app, `adminpass-${context.stage}`, {
  stage: context.stage,
  bcryptCost: context.bcryptCost,
  senderEmail: context.senderEmail ?? DEV_SENDER_EMAIL,
  ...(context.publicBaseUrl ? { publicBaseUrl: context.publicBaseUrl } : {}),
  description: `adminpass administrator passwords (${context.stage})`,
});
Tags.of(stack).add('project', 'adminpass');
Tags.of(stack).add('stage', context.stage);

app.synth();
