// The reconciler's stage list, written into the table by the deployment: CloudFormation sends the
// reconciler a custom resource request (Custom::IvsTrackedStages) with the listed stage ARNs,
// resolved at deploy time (so CfnStage ARNs work), and waits for its answer on a pre-signed URL.
// No function of its own: the reconciler's role already writes its own partition of the table.
// The Lambda runtime provides AWS SDK v3; the library itself never loads this module.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { writeStageList } from './cursor';

/** The part of a CloudFormation custom resource request the reconciler reads (CloudFormation User Guide, crpg-ref-requests). */
export interface CustomResourceRequest {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: { readonly StageArns?: readonly string[] };
}

export function isCustomResourceRequest(event: unknown): event is CustomResourceRequest {
  return typeof event === 'object' && event !== null && 'RequestType' in event && 'ResponseURL' in event;
}

/** One resource per table: the list is one item, replaced on every update. */
const PHYSICAL_ID = 'tracked-stages';

/**
 * Writes the list on Create and Update (Delete leaves it: the table goes with the stack, or is
 * retained with its data), then answers CloudFormation. Any error is answered FAILED with its
 * message, so a deployment fails at once instead of waiting an hour for an answer.
 */
export async function handleStageListRequest(request: CustomResourceRequest, client: DynamoDBClient, tableName: string): Promise<void> {
  let failure: string | undefined;
  try {
    if (request.RequestType !== 'Delete') {
      await writeStageList(client, tableName, request.ResourceProperties.StageArns ?? []);
    }
  } catch (error) {
    failure = `${(error as Error).name}: ${(error as Error).message}`;
    console.error(JSON.stringify({ requestType: request.RequestType, error: failure }));
  }
  const response = await fetch(request.ResponseURL, {
    method: 'PUT',
    // The URL is signed for an empty content type.
    headers: { 'content-type': '' },
    body: JSON.stringify({
      Status: failure ? 'FAILED' : 'SUCCESS',
      Reason: failure ?? 'the stage list is in the table',
      PhysicalResourceId: request.PhysicalResourceId ?? PHYSICAL_ID,
      StackId: request.StackId,
      RequestId: request.RequestId,
      LogicalResourceId: request.LogicalResourceId,
    }),
  });
  if (!response.ok) {
    throw new Error(`CloudFormation's response URL answered ${response.status}`);
  }
}
