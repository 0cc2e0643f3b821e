import { creditTable, type QueueName, queues, resourceName } from '#lib/platform/resources';

/**
 * Names and identities of the local deployment. Physical names follow the cloud's
 * `resourceName(stage, id)` convention with the stage `local`; the account is the emulators' fixed one.
 */
export const LOCAL_STAGE = 'local';
export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_API_ID = 'local';
export const DEFAULT_LOCAL_REGION = 'cn-north-1';

export const localTableName = resourceName(LOCAL_STAGE, creditTable.id);
/** S3 bucket names must be lower case; the cloud appends account and region, locally it is not needed. */
export const localBucketName = resourceName(LOCAL_STAGE, 'data').toLowerCase();

export function localQueueName(queue: QueueName): string {
  return resourceName(LOCAL_STAGE, queues[queue].id);
}

export function localDeadLetterQueueName(queue: QueueName): string {
  return `${localQueueName(queue)}-dlq`;
}

export function localFunctionName(functionId: string): string {
  return resourceName(LOCAL_STAGE, functionId);
}

/** The ARN partition of a region: China regions live in `aws-cn`. */
export function arnPartition(region: string): string {
  return region.startsWith('cn-') ? 'aws-cn' : 'aws';
}
