import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { type FunctionName, functions } from '#lib/platform/resources';
import { arnPartition, LOCAL_ACCOUNT_ID, localFunctionName } from '../naming';

/** A Lambda context object as the runtime passes it, with the function's configured timeout. */
export function createLambdaContext(name: FunctionName, region: string, startedAt = Date.now()): Context {
  const definition = functions[name];
  const functionName = localFunctionName(definition.id);
  const awsRequestId = randomUUID();
  const deadline = startedAt + definition.timeoutSeconds * 1000;
  const unsupported = () => {
    throw new Error('The callback-style context methods are not supported; return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:${arnPartition(region)}:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${functionName}`,
    memoryLimitInMB: String(definition.memoryMb),
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${new Date(startedAt).toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]${awsRequestId.replace(/-/g, '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
