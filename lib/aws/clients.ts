import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The one factory for AWS clients. Endpoints come from the standard AWS_ENDPOINT_URL_<SERVICE>
 * variables (set by the local stack, absent in AWS), so domain code never branches on "local".
 */
export interface ClientEndpoints {
  dynamodb?: string;
  s3?: string;
  sqs?: string;
  region?: string;
}

function endpointsFromEnv(): ClientEndpoints {
  return {
    dynamodb: process.env.AWS_ENDPOINT_URL_DYNAMODB,
    s3: process.env.AWS_ENDPOINT_URL_S3,
    sqs: process.env.AWS_ENDPOINT_URL_SQS,
    region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION,
  };
}

export function createDynamoClient(endpoints: ClientEndpoints = endpointsFromEnv()): DynamoDBClient {
  return new DynamoDBClient({
    region: endpoints.region ?? 'cn-north-1',
    ...(endpoints.dynamodb ? { endpoint: endpoints.dynamodb } : {}),
  });
}

export function createDocumentClient(
  endpoints: ClientEndpoints = endpointsFromEnv(),
): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(createDynamoClient(endpoints), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

export function createS3Client(endpoints: ClientEndpoints = endpointsFromEnv()): S3Client {
  return new S3Client({
    region: endpoints.region ?? 'cn-north-1',
    // s3rver silently stores streamed uploads corrupted under the SDK's default checksum mode;
    // WHEN_REQUIRED is also correct against AWS, so it is set for every client.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(endpoints.s3 ? { endpoint: endpoints.s3, forcePathStyle: true } : {}),
  });
}

export function createSqsClient(endpoints: ClientEndpoints = endpointsFromEnv()): SQSClient {
  return new SQSClient({
    region: endpoints.region ?? 'cn-north-1',
    ...(endpoints.sqs ? { endpoint: endpoints.sqs } : {}),
  });
}
