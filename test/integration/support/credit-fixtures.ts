import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { apiKeyId, generateApiKey, hashApiKey } from '#lib/auth/api-keys';
import { CreditStore } from '#lib/aws/credit-store';
import { defaultRegistryPath, loadAgencyRegistry } from '#lib/platform/agency-registry';
import { bucketLayout } from '#lib/platform/resources';
import { codes, csv, listTypeHeader, listTypeRows } from '#test/support/csv-fixtures';
import { type LocalStackHandle, waitFor } from './local-stack';

export function storeOf(stack: LocalStackHandle): CreditStore {
  return new CreditStore(stack.clients.documentClient, stack.config.tableName);
}

/** Names of the agencies of config/agencies.json, so that stored 认定部门 read as in production. */
const registeredNames = new Map(
  loadAgencyRegistry(defaultRegistryPath).agencies.map((a) => [a.code, a.name]),
);

/**
 * Registers an agency and gives it a key, through the same store the admin command uses. An agency
 * of config/agencies.json gets its registered name, any other `<code> 测试机关`.
 */
export async function registerAgency(
  stack: LocalStackHandle,
  agencyCode: string,
  uscc: string = codes.agencyUscc,
  roles: string[] = ['case-officer'],
): Promise<string> {
  const store = storeOf(stack);
  const name = registeredNames.get(agencyCode) ?? `${agencyCode} 测试机关`;
  await store.putAgency({ code: agencyCode, name, uscc, roles });
  const apiKey = generateApiKey(agencyCode);
  const keyHash = hashApiKey(apiKey);
  await store.putApiKey({
    keyHash,
    keyId: apiKeyId(keyHash),
    agencyCode,
    roles,
    label: 'test',
    createdAt: new Date().toISOString(),
  });
  return apiKey;
}

export async function putIncoming(
  stack: LocalStackHandle,
  agencyCode: string,
  dataset: string,
  fileName: string,
  body: string | Buffer,
) {
  return stack.clients.s3.send(
    new PutObjectCommand({
      Bucket: stack.config.bucketName,
      Key: bucketLayout.incomingKey(agencyCode, dataset, fileName),
      Body: body,
    }),
  );
}

export async function readJson<T = Record<string, unknown>>(
  stack: LocalStackHandle,
  key: string,
): Promise<T | undefined> {
  try {
    const result = await stack.clients.s3.send(
      new GetObjectCommand({ Bucket: stack.config.bucketName, Key: key }),
    );
    return JSON.parse(await result.Body!.transformToString('utf8')) as T;
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
    // s3rver writes objects in place: a read racing the write sees a truncated body. Not ready yet.
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/** Drops a file through the normal path and waits for its result report. */
export async function ingestFile(
  stack: LocalStackHandle,
  agencyCode: string,
  dataset: string,
  fileName: string,
  body: string | Buffer,
) {
  await putIncoming(stack, agencyCode, dataset, fileName, body);
  return waitFor(
    () => readJson<Record<string, any>>(stack, bucketLayout.reportKey(agencyCode, dataset, fileName)),
    {
      timeoutMs: 90_000,
      what: `the report of ${fileName}`,
    },
  );
}

export async function subjectPartition(stack: LocalStackHandle, subjectKey: string) {
  const result = await stack.clients.documentClient.send(
    new QueryCommand({
      TableName: stack.config.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `SUBJECT#${subjectKey}` },
    }),
  );
  return result.Items ?? [];
}

/**
 * The list types (with their entitled agencies, 认定机构代码) as the credit office loads them: a
 * list-type file from an agency with the credit-office role, through the normal ingest path. List
 * entries are accepted only on list types stored here, from the agencies they name.
 */
export async function loadListTypes(
  stack: LocalStackHandle,
  rows: readonly (readonly string[])[] = listTypeRows,
  fileName = 'list-types.csv',
) {
  const store = storeOf(stack);
  if (!(await store.getAgency('XYB'))?.roles?.includes('credit-office')) {
    await store.putAgency({
      code: 'XYB',
      name: '江门市发展和改革局（信用办）',
      uscc: '11440700MB2E345657',
      roles: ['credit-office'],
    });
  }
  const report = await ingestFile(stack, 'XYB', 'list-type', fileName, csv([listTypeHeader, ...rows]));
  if (report.counts?.accepted !== rows.length)
    throw new Error(`list types not loaded: ${JSON.stringify(report)}`);
  return report;
}
