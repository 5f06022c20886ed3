// Infrastructure: the CDK app's context (`cdk synth -c stage=prod -c bcryptCost=13`), read and validated once at
// synth time so a bad value stops the synth with one line that names it, before any construct is built.
import type { App } from 'aws-cdk-lib';
import { z } from 'zod';

const AppContext = z.object({
  /** Names the stack and the API stage; `dev` is the only stage whose data may be destroyed with the stack. */
  stage: z
    .string({ error: 'must be a string' })
    .regex(/^[a-z][a-z0-9-]{0,19}$/, 'must be 1 to 20 lowercase letters, digits or hyphens, starting with a letter')
    .default('dev'),
  /**
   * The deployed bcrypt cost. At least 10 (OWASP Password Storage); at most 14, since at 1024 MB one hash at cost 14
   * takes about 3 s and a sign-in that rehashes does two within the 10 s timeout.
   */
  bcryptCost: z.coerce
    .number({ error: 'must be a whole number from 10 to 14' })
    .int('must be a whole number from 10 to 14')
    .min(10, 'must be a whole number from 10 to 14')
    .max(14, 'must be a whole number from 10 to 14')
    .default(12),
  /** The From address of every email; its address or domain must be a verified SES identity in the region. */
  senderEmail: z.email({ error: 'must be an email address' }).optional(),
  /**
   * Where emailed links point (the Password Change Screen is served by the API itself).
   * @default the API's own execute-api URL
   */
  publicBaseUrl: z.url({ protocol: /^https$/, error: 'must be an https URL' }).optional(),
});

export type AppContext = z.output<typeof AppContext>;

/** The validated context of the app, or an error whose one-line message names each bad key and its value. */
export function readAppContext(app: App): AppContext {
  const raw = Object.fromEntries(Object.keys(AppContext.shape).map((key) => [key, app.node.tryGetContext(key) as unknown]));
  const result = AppContext.safeParse(raw);
  if (result.success) {
    // Outside dev an email from a placeholder address would be refused by SES: the sender must be stated.
    if (result.data.stage !== 'dev' && result.data.senderEmail === undefined) {
      throw new Error(`adminpass: missing context senderEmail (required for stage ${result.data.stage}): -c senderEmail=no-reply@your-domain`);
    }
    return result.data;
  }
  const problems = result.error.issues.map((issue) => {
    const key = String(issue.path[0]);
    return `context ${key}=${JSON.stringify(raw[key])} ${issue.message}`;
  });
  throw new Error(`adminpass: invalid ${problems.join('; ')}`);
}
