import {
  type Attribute,
  AttributeType,
  BillingMode,
  type CfnTable,
  ProjectionType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import {
  type KeyAttribute,
  resourceName,
  type TableDefinition,
  creditTable as tableDefinition,
} from '../../lib/platform/resources';
import type { StageSettings } from '../config';
import { acknowledge, wildcardOnArn } from '../nag';
import type { CreditFunction } from './credit-function';

const attributeTypes = { S: AttributeType.STRING, N: AttributeType.NUMBER } as const;

function attribute(key: KeyAttribute): Attribute {
  return { name: key.name, type: attributeTypes[key.type] };
}

export interface CreditTableProps {
  readonly settings: StageSettings;
  /** Defaults to `creditTable` from lib/platform/resources.ts. */
  readonly definition?: TableDefinition;
}

/** The single DynamoDB table, built from its shared definition (keys, indexes, TTL attribute). */
export class CreditTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: CreditTableProps) {
    super(scope, id);
    const definition = props.definition ?? tableDefinition;
    const { stage, removalPolicy, tableDeletionProtection } = props.settings;

    this.table = new Table(this, 'Table', {
      tableName: resourceName(stage, definition.id),
      partitionKey: attribute(definition.partitionKey),
      sortKey: attribute(definition.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: definition.timeToLiveAttribute,
      deletionProtection: tableDeletionProtection,
      removalPolicy,
    });

    for (const index of definition.globalIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
        projectionType: ProjectionType.ALL,
      });
    }
  }

  /** Item reads and writes on the table and its indexes (no table management actions). */
  grantReadWrite(grantee: CreditFunction): void {
    this.table.grantReadWriteData(grantee.role);
    this.acknowledgeIndexes(grantee);
  }

  /** Item reads only: GetItem, BatchGetItem, Query, Scan, ConditionCheckItem, DescribeTable. */
  grantRead(grantee: CreditFunction): void {
    this.table.grantReadData(grantee.role);
    this.acknowledgeIndexes(grantee);
  }

  private acknowledgeIndexes(grantee: CreditFunction): void {
    acknowledge(
      grantee.role,
      wildcardOnArn(this.table.node.defaultChild as CfnTable, '/index/*'),
      "Queries use the table's global secondary indexes (gsi1, gsi2); <table-arn>/index/* covers this table's indexes only.",
    );
  }
}
