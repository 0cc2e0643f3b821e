// Owned by the main developer: the demo data set that `npm start` loads through the normal path.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { apiKeyId, hashApiKey } from '#lib/auth/api-keys';
import { createDocumentClient, createS3Client } from '#lib/aws/clients';
import { type AgencyProfile, CreditStore } from '#lib/aws/credit-store';
import { isReferenceDatasetId } from '#lib/datasets/reference/index';
import { agencyProfileOf, defaultRegistryPath, loadAgencyRegistry } from '#lib/platform/agency-registry';
import { bucketLayout } from '#lib/platform/resources';

const demoDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'demo');

/** The agency whose key the README's curl uses: market regulation, checking parties at approvals. */
export const DEMO_AGENCY = 'SCJG';
/** Local only: a fixed key so that the README's examples work as written. Never used in AWS. */
export const DEMO_API_KEY = 'jc_scjg_local-demo-key-not-for-production';

export interface DemoTarget {
  readonly config: {
    readonly region: string;
    readonly bucketName: string;
    readonly tableName: string;
    readonly endpoints: { readonly dynamodb: string; readonly s3: string };
  };
}

export interface DemoData {
  readonly agencyCode: string;
  readonly apiKey: string;
  readonly files: readonly string[];
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) return listFiles(path.join(dir, entry.name), relative);
      return relative.endsWith('.csv') ? [relative] : [];
    }),
  );
  return nested.flat().sort();
}

interface DemoFile {
  readonly file: string;
  readonly agencyCode: string;
  readonly dataset: string;
  readonly name: string;
}

async function uploadDemoFile(s3: S3Client, bucket: string, entry: DemoFile): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: bucketLayout.incomingKey(entry.agencyCode, entry.dataset, entry.name),
      Body: await readFile(path.join(demoDir, entry.file)),
      ContentType: 'text/csv',
    }),
  );
}

async function waitForReport(s3: S3Client, bucket: string, entry: DemoFile, deadline: number): Promise<void> {
  const Key = bucketLayout.reportKey(entry.agencyCode, entry.dataset, entry.name);
  for (;;) {
    try {
      await s3.send(new HeadObjectCommand({ Bucket: bucket, Key }));
      return;
    } catch {
      if (Date.now() > deadline)
        throw new Error(`demo file ${entry.file} was not ingested in time (no ${Key})`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/**
 * Registers the demo agencies and the demo key, then drops the demo files under incoming/ exactly as
 * an agency would and waits for their result reports. Re-running is harmless: the same file content
 * is the same ingestion job, which is not run twice.
 */
export async function loadDemoData(
  stack: DemoTarget,
  options: { timeoutMs?: number } = {},
): Promise<DemoData> {
  const endpoints = { ...stack.config.endpoints, region: stack.config.region };
  const store = new CreditStore(createDocumentClient(endpoints), stack.config.tableName);
  const s3 = createS3Client(endpoints);

  // The agency registry (config/agencies.json) is the one source of agency profiles.
  for (const agency of loadAgencyRegistry(defaultRegistryPath).agencies) {
    await store.putAgency(agencyProfileOf(agency) as AgencyProfile);
  }
  const keyHash = hashApiKey(DEMO_API_KEY);
  if (!(await store.getApiKey(keyHash))) {
    await store.putApiKey({
      keyHash,
      keyId: apiKeyId(keyHash),
      agencyCode: DEMO_AGENCY,
      roles: ['case-officer'],
      label: 'local demo key',
      createdAt: new Date().toISOString(),
    });
  }

  const files: DemoFile[] = (await listFiles(demoDir)).map((file) => {
    const [agencyCode, dataset, ...name] = file.split('/');
    return { file, agencyCode: agencyCode!, dataset: dataset!, name: name.join('/') };
  });
  // Reference data first: list entries are accepted only on list types stored with the agencies
  // entitled to decide them (list authority), so the office's files must be in before the lists.
  const first = files.filter((entry) => isReferenceDatasetId(entry.dataset));
  const rest = files.filter((entry) => !isReferenceDatasetId(entry.dataset));
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (const batch of [first, rest]) {
    for (const entry of batch) await uploadDemoFile(s3, stack.config.bucketName, entry);
    for (const entry of batch) await waitForReport(s3, stack.config.bucketName, entry, deadline);
  }
  return { agencyCode: DEMO_AGENCY, apiKey: DEMO_API_KEY, files: files.map((entry) => entry.file) };
}
