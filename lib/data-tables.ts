// Infrastructure: the DynamoDB tables, one per entry of TABLES (the same definitions the local runner builds its
// tables from), so a table added there appears here with the house settings and nothing copy-pasted.
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLES, type TableDefinition, type TableKey } from '../functions/adapters/dynamodb/table-definitions';

export interface DataTablesProps {
  /**
   * The data may go with the stack (a dev stage): the tables are destroyed with it and have no deletion protection.
   * @default false — tables are retained and protected from deletion
   */
  readonly ephemeral?: boolean;
}

/** The service's tables: on-demand, point-in-time recovery, encrypted with the AWS-managed key, TTL where defined. */
export class DataTables extends Construct {
  /** Each table by its key in TABLES. */
  readonly tables: Readonly<Record<TableKey, dynamodb.TableV2>>;

  constructor(scope: Construct, id: string, props: DataTablesProps = {}) {
    super(scope, id);
    const ephemeral = props.ephemeral ?? false;
    const entries = (Object.keys(TABLES) as TableKey[]).map((key) => {
      const { constructId, partitionKey, sortKey, timeToLiveAttribute, globalIndexes = [] }: TableDefinition = TABLES[key];
      // The construct path is the table's identity: renaming it (or this construct) replaces the table and its data.
      const table = new dynamodb.TableV2(this, constructId, {
        partitionKey: { name: partitionKey, type: dynamodb.AttributeType.STRING },
        ...(sortKey ? { sortKey: { name: sortKey, type: dynamodb.AttributeType.STRING } } : {}),
        ...(timeToLiveAttribute ? { timeToLiveAttribute } : {}),
        globalSecondaryIndexes: globalIndexes.map((index) => ({
          indexName: index.indexName,
          partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
          sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
          ...(index.projectedAttributes === undefined
            ? { projectionType: dynamodb.ProjectionType.ALL }
            : { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: [...index.projectedAttributes] }),
        })),
        billing: dynamodb.Billing.onDemand(),
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
        deletionProtection: !ephemeral,
        removalPolicy: ephemeral ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      });
      return [key, table] as const;
    });
    this.tables = Object.fromEntries(entries) as Record<TableKey, dynamodb.TableV2>;
  }
}
