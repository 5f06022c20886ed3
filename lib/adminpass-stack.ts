// Infrastructure: the adminpass stack for one stage: the tables and the pepper (stateful), the API and its functions
// (stateless), and the outputs a client or an operator needs.
import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { TABLES, type TableKey } from '../functions/adapters/dynamodb/table-definitions';
import { Api } from './api';
import { DataTables } from './data-tables';
import { PepperSecret } from './pepper-secret';

/** The stage whose data is disposable: everything else keeps its tables, pepper and logs when the stack goes. */
export const DISPOSABLE_STAGE = 'dev';

/** The dev stage's sender when none is given: a placeholder that SES refuses until the address is verified. */
export const DEV_SENDER_EMAIL = 'no-reply@example.com';

export interface AdminpassStackProps extends StackProps {
  /** The stage: names the API stage and decides whether data is retained (all but `dev`). */
  readonly stage: string;
  /** The bcrypt cost the password-hashing functions use. */
  readonly bcryptCost: number;
  /** The From address of every email; the only SES identity the mailing functions may send as. */
  readonly senderEmail: string;
  /**
   * Where emailed links point.
   * @default the API's own URL, which serves the Password Change Screen
   */
  readonly publicBaseUrl?: string;
}

export class AdminpassStack extends Stack {
  readonly data: DataTables;
  readonly pepper: PepperSecret;
  readonly api: Api;

  constructor(scope: Construct, id: string, props: AdminpassStackProps) {
    super(scope, id, props);
    const ephemeral = props.stage === DISPOSABLE_STAGE;

    this.data = new DataTables(this, 'Data', { ephemeral });
    this.pepper = new PepperSecret(this, 'Pepper', { ephemeral });
    this.api = new Api(this, 'Api', {
      stageName: props.stage,
      tables: this.data.tables,
      pepper: this.pepper.secret,
      bcryptCost: props.bcryptCost,
      senderEmail: props.senderEmail,
      ...(props.publicBaseUrl ? { publicBaseUrl: props.publicBaseUrl } : {}),
      functionLogs: ephemeral
        ? { logRetention: logs.RetentionDays.ONE_WEEK, logRemovalPolicy: RemovalPolicy.DESTROY }
        : { logRetention: logs.RetentionDays.ONE_YEAR, logRemovalPolicy: RemovalPolicy.RETAIN },
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'The API base URL, stage included.' });
    for (const key of Object.keys(TABLES) as TableKey[]) {
      const { constructId } = TABLES[key];
      new CfnOutput(this, `${constructId}Name`, { value: this.data.tables[key].tableName, description: `The ${key} table.` });
    }
  }
}
