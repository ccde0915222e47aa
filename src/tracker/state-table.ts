import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { ACTIVE_INDEX } from './table-keys';

export interface StateTableOptions {
  readonly encryptionKey?: kms.IKey;
  readonly removalPolicy?: RemovalPolicy;
}

/** The tracker's table, as the table contract in docs/state-tracker.md describes it. */
export function createStateTable(scope: Construct, options: StateTableOptions): dynamodb.Table {
  const table = new dynamodb.Table(scope, 'Table', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: options.encryptionKey ? dynamodb.TableEncryption.CUSTOMER_MANAGED : dynamodb.TableEncryption.AWS_MANAGED,
    encryptionKey: options.encryptionKey,
    timeToLiveAttribute: 'expiresAt',
    // Stage activity events come from the stream, through EventBridge Pipes.
    stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
    removalPolicy: options.removalPolicy,
  });
  // Sparse: only the participants the reconciler must check are in it, so a run reads those
  // and not every finished participant a stage's partition keeps until it expires.
  table.addGlobalSecondaryIndex({
    indexName: ACTIVE_INDEX.name,
    partitionKey: { name: ACTIVE_INDEX.partitionKey, type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
    projectionType: dynamodb.ProjectionType.INCLUDE,
    nonKeyAttributes: ACTIVE_INDEX.projected,
  });
  return table;
}
