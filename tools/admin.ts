/**
 * Credit-office administration: the agency registry (config/agencies.json) and API keys.
 *
 *   npm run admin -- agency add --code SCJG --name 江门市市场监督管理局 --uscc 11440700007012346L \
 *                     --roles case-officer --datasets admin-penalty,list-entry
 *   npm run admin -- agency list
 *   npm run admin -- agency sync          # registry → agency profiles in DynamoDB (after a deploy)
 *   npm run admin -- key create --agency SCJG --roles case-officer[,credit-office,auditor] [--label text]
 *   npm run admin -- key list --agency SCJG
 *   npm run admin -- key revoke --agency SCJG --key-id key-3c1f0a9b2d4e [--stage prod]
 *   npm run admin -- dlq redrive ingest|match [--max 100] [--stage prod]
 *   npm run admin -- alias backfill [--page-size 500] [--from <token>] [--max-pages n]
 *   npm run admin -- watch backfill [--page-size 500] [--segments 8] [--from-segment n]
 *
 * The registry is the one source: `agency add` writes it and the agency's profile in DynamoDB, and
 * `key create` refuses an agency or a role the registry does not give it. Against AWS set TABLE_NAME
 * (and the usual AWS credentials); otherwise --stack <path>, STACK_FILE or the running local stack's
 * .local/stack.json is used. AGENCY_REGISTRY points at another registry file. The plain key is
 * printed once and never stored. `key revoke` says how long the key may still be accepted: in AWS,
 * the authorizer cache TTL of the stage (--stage or STAGE); locally it flushes the gateway's cache.
 *
 * `dlq redrive` moves a queue's dead-lettered messages back to it (receive, send, delete), in every
 * partition: SQS's own redrive is not offered in the China regions. With --stage (or STAGE) it finds
 * the deployed queues by name with the usual AWS credentials and region; otherwise the local stack.
 *
 * `alias backfill` writes the ALIAS#ORGNAME items (the public search by exact name) of subjects
 * stored before ingestion wrote them: a scan of record and list-entry items, --page-size items a page
 * (at most 1000), each alias put only where absent, so it can run again or resume from the printed
 * --from token; --max-pages stops early.
 *
 * `watch backfill` writes the masked-ID index items (WATCHED-ID#…) of open person watches opened
 * before the index existed, under the name the platform knows for the person; closed and expired
 * watches, watches already indexed and persons with no known name are counted and skipped. The
 * table is scanned in --segments segments one after the other; each segment's counts are printed
 * with the segment to resume from (--from-segment). Only counts are printed, never an ID or a name.
 */
import { parseArgs } from 'node:util';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { apiKeyId, generateApiKey, hashApiKey } from '#lib/auth/api-keys';
import { createSqsClient } from '#lib/aws/clients';
import { type AgencyProfile, CreditStore } from '#lib/aws/credit-store';
import { keys } from '#lib/aws/items/keys';
import { systemClock } from '#lib/clock/system-clock';
import {
  AgencyRegistryError,
  agencyProfileOf,
  loadAgencyRegistry,
  type RegisteredAgency,
  registeredAgencySchema,
  registryPath,
  saveAgencyRegistry,
} from '#lib/platform/agency-registry';
import { env, type QueueName, queues } from '#lib/platform/resources';
import { pageSizeOf, runAliasBackfill } from './alias-backfill';
import { deployedQueuePair, redrive } from './dlq-redrive';
import { revocationNotice } from './key-revocation';
import { personWatchBackfillDefaults, runPersonWatchBackfill } from './person-watch-backfill';
import { resolveTarget, runningLocalStack, type StackTarget, UsageError } from './stack-target';
import { wholeNumberOption } from './whole-number-option';

function required(values: Record<string, string | undefined>, name: string): string {
  const value = values[name];
  if (!value) throw new UsageError(`--${name} is required`);
  return value;
}

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** The profile the ingest path reads; roles and datasets travel with it so the store mirrors the registry. */
function putProfile(store: CreditStore, agency: RegisteredAgency): Promise<void> {
  return store.putAgency(agencyProfileOf(agency) as AgencyProfile);
}

async function main(argv: string[]): Promise<void> {
  const [noun, verb, ...rest] = argv;
  if (noun === 'dlq') return dlqCommand(verb, rest);
  if (noun === 'alias') return aliasCommand(verb, rest);
  if (noun === 'watch') return watchCommand(verb, rest);
  const { values } = parseArgs({
    args: rest,
    options: {
      code: { type: 'string' },
      name: { type: 'string' },
      uscc: { type: 'string' },
      agency: { type: 'string' },
      roles: { type: 'string' },
      datasets: { type: 'string' },
      label: { type: 'string' },
      'key-id': { type: 'string' },
      stack: { type: 'string' },
      stage: { type: 'string' },
    },
  });
  const registry = loadAgencyRegistry();
  const connect = () =>
    resolveTarget({ needBucket: false, ...(values.stack ? { stack: values.stack } : {}) });
  const withStore = async (run: (store: CreditStore, target: StackTarget) => Promise<void>) => {
    const target = await connect();
    try {
      await run(new CreditStore(target.documentClient, target.tableName), target);
    } finally {
      target.destroy();
    }
  };

  if (noun === 'agency' && verb === 'list') {
    for (const agency of registry.agencies) {
      console.log(
        `${agency.code}\t${agency.name}\t${agency.uscc}\t${agency.roles.join(',')}\t${agency.datasets.join(',')}`,
      );
    }
    return;
  }
  if (noun === 'agency' && verb === 'add') {
    const parsed = registeredAgencySchema.safeParse({
      code: required(values, 'code'),
      name: required(values, 'name'),
      uscc: required(values, 'uscc'),
      roles: list(required(values, 'roles')),
      datasets: list(values.datasets),
    });
    if (!parsed.success)
      throw new UsageError(
        parsed.error.issues.map((issue) => `--${String(issue.path[0] ?? '?')}: ${issue.message}`).join('; '),
      );
    const agency = parsed.data;
    const replaced = registry.get(agency.code) !== undefined;
    // Reach the store first, so that a failure leaves neither the registry nor the table changed.
    await withStore(async (store, target) => {
      const updated = registry.with(agency);
      await putProfile(store, agency);
      saveAgencyRegistry(updated);
      console.log(
        `agency ${agency.code} ${replaced ? 'updated' : 'registered'} in ${registryPath()} and ${target.description}`,
      );
    });
    console.error(
      'Commit the registry file: the per-agency upload policies are deployed from it (cdk deploy).',
    );
    return;
  }
  if (noun === 'agency' && verb === 'sync') {
    await withStore(async (store, target) => {
      for (const agency of registry.agencies) await putProfile(store, agency);
      console.log(
        `${registry.agencies.length} agency profiles loaded from ${registryPath()} into ${target.description}`,
      );
    });
    return;
  }
  if (noun === 'key' && verb === 'create') {
    const agencyCode = required(values, 'agency');
    const roles = list(required(values, 'roles'));
    registry.require(agencyCode);
    const refused = registry.rolesRefused(agencyCode, roles);
    if (refused.length > 0)
      throw new UsageError(
        `agency ${agencyCode} may not hold the roles ${refused.join(', ')}; the registry allows ${registry.require(agencyCode).roles.join(', ')}`,
      );
    await withStore(async (store) => {
      const apiKey = generateApiKey(agencyCode);
      const keyHash = hashApiKey(apiKey);
      await store.putApiKey({
        keyHash,
        keyId: apiKeyId(keyHash),
        agencyCode,
        roles,
        label: values.label ?? '',
        createdAt: new Date().toISOString(),
      });
      console.log(JSON.stringify({ keyId: apiKeyId(keyHash), agencyCode, roles, apiKey }, null, 2));
      console.error('Store the key now: only its hash is kept.');
    });
    return;
  }
  if (noun === 'key' && verb === 'list') {
    await withStore(async (store) => {
      const items = await store.queryIndex('gsi1', keys.agencyListing(required(values, 'agency'), 'APIKEY'));
      for (const item of items) {
        console.log(
          `${item.keyId}\t${(item.roles as string[]).join(',')}\t${item.createdAt}\t${item.revokedAt ? `revoked ${item.revokedAt}` : 'active'}\t${item.label}`,
        );
      }
    });
    return;
  }
  if (noun === 'key' && verb === 'revoke') {
    const keyId = required(values, 'key-id');
    const agencyCode = required(values, 'agency');
    await withStore(async (store, target) => {
      const items = await store.queryIndex('gsi1', keys.agencyListing(agencyCode, 'APIKEY'));
      const item = items.find((candidate) => candidate.keyId === keyId);
      if (!item) throw new UsageError(`no key ${keyId} for agency ${agencyCode}`);
      await target.documentClient.send(
        new UpdateCommand({
          TableName: store.tableName,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :now)',
          ExpressionAttributeValues: { ':now': new Date().toISOString() },
        }),
      );
      console.log(
        `${keyId} revoked; ${await revocationNotice(target, values.stage ?? process.env[env.stage])}`,
      );
    });
    return;
  }
  throw new UsageError(
    'usage: admin agency add | agency list | agency sync | key create | key list | key revoke | dlq redrive | alias backfill | watch backfill (see tools/admin.ts)',
  );
}

/** `alias backfill`: the public name-search aliases of subjects stored before they existed. */
async function aliasCommand(verb: string | undefined, args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      'page-size': { type: 'string' },
      from: { type: 'string' },
      'max-pages': { type: 'string' },
      stack: { type: 'string' },
    },
  });
  if (verb !== 'backfill')
    throw new UsageError('usage: admin alias backfill [--page-size 500] [--from token] [--max-pages n]');
  let pageSize: number;
  try {
    pageSize = pageSizeOf(values['page-size']);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const maxPages = values['max-pages'] === undefined ? undefined : Number(values['max-pages']);
  if (maxPages !== undefined && (!Number.isInteger(maxPages) || maxPages < 1))
    throw new UsageError('--max-pages must be a positive integer');
  const target = await resolveTarget({ needBucket: false, ...(values.stack ? { stack: values.stack } : {}) });
  try {
    const totals = await runAliasBackfill(
      target,
      { pageSize, ...(values.from ? { from: values.from } : {}), ...(maxPages ? { maxPages } : {}) },
      (line) => console.log(line),
    );
    console.log(
      `${totals.created} ALIAS#ORGNAME items created, ${totals.existing} already there, over ${totals.records} record items in ${totals.pages} pages (${target.description})${totals.next ? `; not finished: resume with --from ${totals.next}` : ''}`,
    );
  } finally {
    target.destroy();
  }
}

/** The options of `watch backfill`, checked. */
function watchBackfillOptions(values: Record<string, string | undefined>) {
  try {
    const segments = wholeNumberOption('segments', values.segments, {
      min: 1,
      max: 64,
      default: personWatchBackfillDefaults.segments,
    });
    return {
      pageSize: wholeNumberOption('page-size', values['page-size'], {
        min: 1,
        max: personWatchBackfillDefaults.maxPageSize,
        default: personWatchBackfillDefaults.pageSize,
      }),
      segments,
      fromSegment: wholeNumberOption('from-segment', values['from-segment'], {
        min: 0,
        max: segments - 1,
        default: 0,
      }),
    };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** `watch backfill`: the masked-ID index items of person watches opened before the index existed. */
async function watchCommand(verb: string | undefined, args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      'page-size': { type: 'string' },
      segments: { type: 'string' },
      'from-segment': { type: 'string' },
      stack: { type: 'string' },
    },
  });
  if (verb !== 'backfill')
    throw new UsageError('usage: admin watch backfill [--page-size 500] [--segments 8] [--from-segment n]');
  const options = watchBackfillOptions(values);
  const target = await resolveTarget({ needBucket: false, ...(values.stack ? { stack: values.stack } : {}) });
  try {
    const totals = await runPersonWatchBackfill(target, systemClock, options, (line) => console.log(line));
    console.log(
      `person watches: ${totals.indexed} indexed, ${totals.alreadyIndexed} already indexed, ${totals.skippedClosed} skipped closed/expired, ${totals.skippedNoName} skipped no known name, of ${totals.watches} found in ${totals.scanned} items scanned (${target.description})`,
    );
  } finally {
    target.destroy();
  }
}

const isQueueName = (value: string | undefined): value is QueueName =>
  value !== undefined && Object.hasOwn(queues, value);

/** `dlq redrive <queue>`: the deployed queues with --stage/STAGE, else the local stack's. */
async function dlqCommand(verb: string | undefined, args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { max: { type: 'string' }, stage: { type: 'string' }, stack: { type: 'string' } },
  });
  const name = positionals[0];
  if (verb !== 'redrive' || !isQueueName(name)) {
    throw new UsageError(
      `usage: admin dlq redrive ${Object.keys(queues).join('|')} [--max n] [--stage name]`,
    );
  }
  const max = values.max === undefined ? undefined : Number(values.max);
  if (max !== undefined && (!Number.isInteger(max) || max < 1))
    throw new UsageError('--max must be a positive integer');
  const stage = values.stage ?? process.env[env.stage];
  const { sqs, pair, description } = stage
    ? await deployedQueues(stage, name)
    : await localQueues(name, values.stack ?? process.env.STACK_FILE);
  try {
    const result = await redrive(sqs, pair, max === undefined ? {} : { max });
    console.log(
      `${result.moved} messages moved from ${name} dead-letter queue back to ${name} (${description})`,
    );
    if (result.failed > 0) {
      console.error(`${result.failed} messages were refused by the queue and stay on the dead-letter queue`);
      process.exitCode = 1;
    }
  } finally {
    sqs.destroy();
  }
}

async function deployedQueues(stage: string, name: QueueName) {
  const sqs = createSqsClient();
  return { sqs, pair: await deployedQueuePair(sqs, stage, name), description: `AWS, stage ${stage}` };
}

async function localQueues(name: QueueName, stackFile: string | undefined) {
  const { stack, path } = await runningLocalStack(stackFile, 'pass --stage to use AWS');
  const sqs = createSqsClient({ sqs: stack.endpoints.sqs, region: stack.region });
  const { url, dlqUrl } = stack.queues[name];
  return { sqs, pair: { sourceUrl: url, deadLetterUrl: dlqUrl }, description: `the local stack (${path})` };
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const usage = error instanceof UsageError || error instanceof AgencyRegistryError;
  console.error(usage ? `error: ${(error as Error).message}` : error);
  process.exitCode = usage ? 2 : 1;
});
