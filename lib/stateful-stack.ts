// Infrastructure: the stateful stack of one stage: the tables, the pepper, the sender's SES identity and where SES
// reports its bounces and complaints (lib/delivery-feedback.ts). It changes rarely and is never replaced; the
// stateless stack (API, functions, WAF, alarms) is built on it through typed props, which the CDK turns into weak
// references to this stack's outputs (cdk.json: defaultCrossStackReferences weak), so nothing here is exported.
import { Stack, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { TableKey } from '../functions/adapters/dynamodb/table-definitions';
import { DataTables } from './data-tables';
import { DeliveryFeedback } from './delivery-feedback';
import { PepperSecret } from './pepper-secret';
import { SenderIdentity, type SenderIdentityProps } from './sender-identity';

/** What the stateless stack is given from the stateful one: the typed seam between the two. */
export interface StatefulResources {
  /** Each table by its key in TABLES. */
  readonly tables: Readonly<Record<TableKey, dynamodb.ITableV2>>;
  /** The pepper the password-hashing functions read. */
  readonly pepper: secretsmanager.ISecret;
  /** The identity every email is sent as. */
  readonly sender: SenderIdentity;
  /** Where SES publishes the bounces and complaints of every email sent as the sender. */
  readonly feedbackTopic: sns.ITopic;
}

export interface AdminpassStatefulStackProps extends StackProps {
  /**
   * The data may go with the stack (a dev stage): tables and pepper are destroyed with it, the tables have no
   * deletion protection and the stack no termination protection.
   * @default false
   */
  readonly ephemeral?: boolean;
  /** The From address of every email, and how SES verifies it (its configuration set is this stack's). */
  readonly sender: Omit<SenderIdentityProps, 'configurationSet'>;
  /**
   * The stage: names the feedback topic and its key.
   * @default 'dev'
   */
  readonly stage?: string;
}

/** The tables, the pepper and the SES identity of one stage. */
export class AdminpassStatefulStack extends Stack implements StatefulResources {
  readonly data: DataTables;
  readonly pepperSecret: PepperSecret;
  readonly sender: SenderIdentity;
  readonly feedback: DeliveryFeedback;

  constructor(scope: Construct, id: string, props: AdminpassStatefulStackProps) {
    const ephemeral = props.ephemeral ?? false;
    super(scope, id, { terminationProtection: !ephemeral, ...props });
    // These construct ids (and TABLES[*].constructId below them) are the resources' identities: renaming one
    // replaces the resource, and a table or the pepper with it its data.
    this.data = new DataTables(this, 'Data', { ephemeral });
    this.pepperSecret = new PepperSecret(this, 'Pepper', { ephemeral });
    this.feedback = new DeliveryFeedback(this, 'DeliveryFeedback', { stageName: props.stage ?? 'dev', ephemeral });
    this.sender = new SenderIdentity(this, 'Sender', { ...props.sender, configurationSet: this.feedback.configurationSet });
  }

  get feedbackTopic(): sns.ITopic {
    return this.feedback.topic;
  }

  get tables(): Readonly<Record<TableKey, dynamodb.ITableV2>> {
    return this.data.tables;
  }

  get pepper(): secretsmanager.ISecret {
    return this.pepperSecret.secret;
  }
}
