/**
 * Credit-office administration: agencies and their API keys.
 *
 *   npm run admin -- agency add --code SCJG --name 江门市市场监督管理局 --uscc 11440700007012346L
 *   npm run admin -- key create --agency SCJG --roles case-officer[,credit-office,auditor] [--label text]
 *   npm run admin -- key list --agency SCJG
 *   npm run admin -- key revoke --agency SCJG --key-id key-3c1f0a9b2d4e
 *
 * Against AWS set TABLE_NAME (and the usual AWS credentials); without it, the running local stack's
 * .local/stack.json is used. The plain key is printed once and never stored.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { apiKeyId, generateApiKey, hashApiKey, roles as knownRoles, type Role } from '../lib/auth/api-keys';
import { createDocumentClient } from '../lib/aws/clients';
import { CreditStore } from '../lib/aws/credit-store';
import { validateUscc } from '../lib/identifiers';
import { keys } from '../lib/store/keys';

class UsageError extends Error {
  override name = 'UsageError';
}

function connect() {
  if (process.env.TABLE_NAME) {
    const client = createDocumentClient();
    return { client, store: new CreditStore(client, process.env.TABLE_NAME) };
  }
  if (!existsSync('.local/stack.json'))
    throw new UsageError('set TABLE_NAME, or start the local stack (npm start) first');
  const stack = JSON.parse(readFileSync('.local/stack.json', 'utf8'));
  const client = createDocumentClient({ dynamodb: stack.endpoints.dynamodb, region: stack.region });
  return { client, store: new CreditStore(client, stack.tableName) };
}

function required(values: Record<string, string | undefined>, name: string): string {
  const value = values[name];
  if (!value) throw new UsageError(`--${name} is required`);
  return value;
}

async function main(argv: string[]): Promise<void> {
  const [noun, verb, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      code: { type: 'string' },
      name: { type: 'string' },
      uscc: { type: 'string' },
      agency: { type: 'string' },
      roles: { type: 'string' },
      label: { type: 'string' },
      'key-id': { type: 'string' },
    },
  });
  const { client, store } = connect();

  if (noun === 'agency' && verb === 'add') {
    const uscc = validateUscc(required(values, 'uscc'));
    if (!uscc.ok) throw new UsageError(`--uscc: ${uscc.message}`);
    await store.putAgency({
      code: required(values, 'code'),
      name: required(values, 'name'),
      uscc: uscc.value,
    });
    console.log(`agency ${values.code} registered`);
    return;
  }
  if (noun === 'key' && verb === 'create') {
    const agencyCode = required(values, 'agency');
    if (!(await store.getAgency(agencyCode))) throw new UsageError(`agency ${agencyCode} is not registered`);
    const roles = required(values, 'roles')
      .split(',')
      .map((role) => role.trim());
    const unknown = roles.filter((role) => !knownRoles.includes(role as Role));
    if (unknown.length > 0)
      throw new UsageError(`unknown roles ${unknown.join(', ')}; use ${knownRoles.join(', ')}`);
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
    return;
  }
  if (noun === 'key' && verb === 'list') {
    const items = await store.queryIndex('gsi1', keys.agencyListing(required(values, 'agency'), 'APIKEY'));
    for (const item of items) {
      console.log(
        `${item.keyId}\t${(item.roles as string[]).join(',')}\t${item.createdAt}\t${item.revokedAt ? `revoked ${item.revokedAt}` : 'active'}\t${item.label}`,
      );
    }
    return;
  }
  if (noun === 'key' && verb === 'revoke') {
    const keyId = required(values, 'key-id');
    const items = await store.queryIndex('gsi1', keys.agencyListing(required(values, 'agency'), 'APIKEY'));
    const item = items.find((candidate) => candidate.keyId === keyId);
    if (!item) throw new UsageError(`no key ${keyId} for agency ${values.agency}`);
    await client.send(
      new UpdateCommand({
        TableName: store.tableName,
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: 'SET revokedAt = :now',
        ExpressionAttributeValues: { ':now': new Date().toISOString() },
      }),
    );
    console.log(
      `${keyId} revoked (API Gateway may serve a cached decision for up to the authorizer cache TTL)`,
    );
    return;
  }
  throw new UsageError('usage: admin agency add | key create | key list | key revoke (see tools/admin.ts)');
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof UsageError ? `error: ${error.message}` : error);
  process.exit(error instanceof UsageError ? 2 : 1);
});
