import {
  type Attribute,
  AttributeType,
  BillingMode,
  type CfnTable,
  ProjectionType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct, type IConstruct } from 'constructs';
import {
  type FunctionName,
  type KeyAttribute,
  operatorKeyPrefixes,
  resourceName,
  type TableDefinition,
  creditTable as tableDefinition,
} from '#lib/platform/resources';
import type { StageSettings } from '../config';
import { acknowledge, wildcardOnArn } from '../nag';
import type { CreditFunction } from './credit-function';

const attributeTypes = { S: AttributeType.STRING, N: AttributeType.NUMBER } as const;

function attribute(key: KeyAttribute): Attribute {
  return { name: key.name, type: attributeTypes[key.type] };
}

/** DynamoDB item actions as IAM names them (`dynamodb:` prefix added when granted). */
export type ItemAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'BatchWriteItem'
  | 'ConditionCheckItem';

// A condition check reads the item it checks (its outcome tells what the item holds).
const readActions: readonly ItemAction[] = ['GetItem', 'BatchGetItem', 'Query', 'ConditionCheckItem'];
const writeActions: readonly ItemAction[] = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'];

export interface TableAccess {
  /** Exactly the item actions the function's code calls (no Scan anywhere). */
  readonly actions: readonly ItemAction[];
  /** Whether it queries the global secondary indexes. */
  readonly queriesIndexes: boolean;
  /** Partition-key prefixes it is confined to (dynamodb:LeadingKeys); any key when undefined. */
  readonly leadingKeyPrefixes?: readonly string[];
}

/**
 * Per function, the item actions its code sends (derived from the DynamoDB commands in its bundle
 * and, for TransactWriteItems, from its items: Put, Update, Delete and ConditionCheck need PutItem,
 * UpdateItem, DeleteItem and ConditionCheckItem). The derivation and the list are in docs/deploying.md;
 * test/infra/table-access.test.ts re-derives them from the bundles.
 */
export const tableAccess: Record<FunctionName, TableAccess> = {
  // ConditionCheckItem: a check saves a subject's record tally in a transaction that first checks the
  // records-changed token (lib/aws/record-tally-store.ts, which only the api function composes).
  api: {
    actions: [
      'GetItem',
      'BatchGetItem',
      'Query',
      'PutItem',
      'UpdateItem',
      'DeleteItem',
      'BatchWriteItem',
      'ConditionCheckItem',
    ],
    queriesIndexes: true,
  },
  // One GetItem of the key's hash record.
  authorizer: {
    actions: ['GetItem'],
    queriesIndexes: false,
    leadingKeyPrefixes: [operatorKeyPrefixes.apiKey],
  },
  // DeleteItem only for the job ledger: a job whose upload was replaced releases its content marker
  // (conditioned on its job id). The due-date resolver reads the calendar through a read-only adapter.
  ingest: {
    actions: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'],
    queriesIndexes: true,
  },
  match: {
    actions: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'],
    queriesIndexes: true,
  },
  // Its transactions (a decided record and its day's count; a hidden record and its records-changed
  // token) update and put items, which UpdateItem and PutItem cover.
  deadlines: { actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'], queriesIndexes: true },
};

/**
 * Items only the operators' admin tool writes (API-key hashes, agency profiles): every function but
 * the authorizer is denied writing them, and reading the key hashes.
 */
export const operatorOnlyPrefixes = {
  write: [operatorKeyPrefixes.apiKey, operatorKeyPrefixes.agencyProfile],
  read: [operatorKeyPrefixes.apiKey],
};

/** kms:GenerateDataKey* and kms:ReEncrypt* are the library's grant for encrypting with one key. */
export function acknowledgeKeyActions(role: IConstruct): void {
  for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*']) {
    acknowledge(
      role,
      `AwsSolutions-IAM5[Action::${action}]`,
      `${action} is aws-cdk-lib's encrypt grant on one customer-managed key (its ARN is the resource): the variants of data-key generation and re-encryption the service uses with that key only.`,
    );
  }
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
    const { stage, removalPolicy, tableDeletionProtection, customerManagedKeys } = props.settings;
    const encryptionKey = customerManagedKeys
      ? new Key(this, 'Key', {
          description: `Encrypts the ${resourceName(stage, definition.id)} table (personal credit data)`,
          enableKeyRotation: true,
          removalPolicy,
        })
      : undefined;

    this.table = new Table(this, 'Table', {
      tableName: resourceName(stage, definition.id),
      partitionKey: attribute(definition.partitionKey),
      sortKey: attribute(definition.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      ...(encryptionKey
        ? { encryption: TableEncryption.CUSTOMER_MANAGED, encryptionKey }
        : { encryption: TableEncryption.AWS_MANAGED }),
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

  /**
   * Grants `grantee` the item actions of `tableAccess` for its function and nothing else: the table
   * for item actions, the indexes for Query only, the key prefixes where they are fixed, and an
   * explicit deny on the operator-only items that no later grant can widen.
   */
  grantItems(grantee: CreditFunction): void {
    const access = tableAccess[grantee.name];
    const dynamodb = (actions: readonly ItemAction[]) => actions.map((action) => `dynamodb:${action}`);
    const leadingKeys = (prefixes: readonly string[]) => prefixes.map((prefix) => `${prefix}*`);
    grantee.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: dynamodb(access.actions),
        resources: [this.table.tableArn],
        ...(access.leadingKeyPrefixes
          ? {
              conditions: {
                'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': leadingKeys(access.leadingKeyPrefixes) },
              },
            }
          : {}),
      }),
    );
    if (access.queriesIndexes) {
      grantee.role.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${this.table.tableArn}/index/*`] }),
      );
      this.acknowledgeIndexes(grantee);
    }
    if (access.leadingKeyPrefixes === undefined) this.denyOperatorItems(grantee, access);
    this.grantKey(grantee, access);
  }

  private denyOperatorItems(grantee: CreditFunction, access: TableAccess): void {
    const deny = (actions: readonly ItemAction[], prefixes: readonly string[]) => {
      const denied = actions.filter((action) => access.actions.includes(action));
      if (denied.length === 0) return;
      grantee.role.addToPrincipalPolicy(
        new PolicyStatement({
          effect: Effect.DENY,
          actions: denied.map((action) => `dynamodb:${action}`),
          resources: [this.table.tableArn],
          conditions: {
            'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': prefixes.map((prefix) => `${prefix}*`) },
          },
        }),
      );
    };
    deny(writeActions, operatorOnlyPrefixes.write);
    deny(readActions, operatorOnlyPrefixes.read);
  }

  /** With a customer-managed key: what aws-cdk-lib grants table readers and writers on it. */
  private grantKey(grantee: CreditFunction, access: TableAccess): void {
    const key = this.table.encryptionKey;
    if (key === undefined) return;
    if (access.actions.some((action) => writeActions.includes(action))) {
      key.grantEncryptDecrypt(grantee.role);
      acknowledgeKeyActions(grantee.role);
    } else {
      key.grantDecrypt(grantee.role);
    }
  }

  private acknowledgeIndexes(grantee: CreditFunction): void {
    acknowledge(
      grantee.role,
      wildcardOnArn(this.table.node.defaultChild as CfnTable, '/index/*'),
      "Query only, on the table's global secondary indexes (gsi1, gsi2); <table-arn>/index/* covers this table's indexes only.",
    );
  }
}
