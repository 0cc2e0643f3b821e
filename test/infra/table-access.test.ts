import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '#infra/config';
import { type ItemAction, tableAccess } from '#infra/constructs/credit-table';
import { authorizeRequest } from '#lib/auth/authorize';
import { CreditStore } from '#lib/aws/credit-store';
import { keys } from '#lib/aws/items/keys';
import { type FunctionName, functions, operatorKeyPrefixes } from '#lib/platform/resources';

/**
 * The IAM item actions a DynamoDB command needs. TransactWriteItems needs the actions of its items:
 * the platform's one transaction (alert + outbox, lib/aws/push-store.ts) puts two items.
 */
const actionsOfCommand: Record<string, readonly ItemAction[]> = {
  GetCommand: ['GetItem'],
  GetItemCommand: ['GetItem'],
  BatchGetCommand: ['BatchGetItem'],
  BatchGetItemCommand: ['BatchGetItem'],
  QueryCommand: ['Query'],
  PutCommand: ['PutItem'],
  PutItemCommand: ['PutItem'],
  UpdateCommand: ['UpdateItem'],
  UpdateItemCommand: ['UpdateItem'],
  DeleteCommand: ['DeleteItem'],
  DeleteItemCommand: ['DeleteItem'],
  BatchWriteCommand: ['BatchWriteItem'],
  BatchWriteItemCommand: ['BatchWriteItem'],
  TransactWriteCommand: ['PutItem'],
};

/** The DynamoDB commands a handler's bundle imports (the SDK is external, so imports keep their names). */
async function commandsInBundle(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [join(repoRoot, entry)],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: ['@aws-sdk/*'],
    logLevel: 'silent',
  });
  const text = result.outputFiles.map((file) => file.text).join('\n');
  const names = new Set<string>();
  for (const match of text.matchAll(
    /import\s*\{([^}]*)\}\s*from\s*"@aws-sdk\/(?:lib-dynamodb|client-dynamodb)"/g,
  )) {
    for (const part of (match[1] ?? '').split(',')) {
      const name = part.trim().split(/\s+as\s+/)[0] ?? '';
      if (name.endsWith('Command')) names.add(name);
    }
  }
  return [...names].sort();
}

describe('DynamoDB grants follow the code (tableAccess)', () => {
  const bundled = new Map<FunctionName, string[]>();

  beforeAll(async () => {
    for (const name of Object.keys(functions) as FunctionName[]) {
      bundled.set(name, await commandsInBundle(functions[name].entry));
    }
  });

  const actionsIn = (name: FunctionName): ItemAction[] => {
    const commands = bundled.get(name) ?? [];
    const unknown = commands.filter((command) => actionsOfCommand[command] === undefined);
    expect(unknown, `commands without an IAM mapping in ${name}`).toEqual([]);
    return [...new Set(commands.flatMap((command) => actionsOfCommand[command] ?? []))].sort();
  };

  it.each(['api', 'ingest', 'match', 'deadlines'] as const)(
    'grants %s exactly the item actions of the commands in its bundle',
    (name) => {
      expect([...tableAccess[name].actions].sort()).toEqual(actionsIn(name));
    },
  );

  it('names in its conditions the key prefixes lib/aws/items/keys.ts builds', () => {
    expect(keys.apiKey('hash')).toBe(`${operatorKeyPrefixes.apiKey}hash`);
    expect(keys.agency('SCJG')).toBe(`${operatorKeyPrefixes.agencyProfile}SCJG`);
  });

  it('grants the authorizer no action its bundle cannot send', () => {
    const inBundle = actionsIn('authorizer');
    for (const action of tableAccess.authorizer.actions) expect(inBundle).toContain(action);
  });

  it('sends nothing but one GetItem when authorizing (the bundle carries the whole store, the path does not)', async () => {
    // Prepare: the real SDK client, stopped before the network by a middleware that records commands.
    const sent: string[] = [];
    const client = new DynamoDBClient({
      region: 'cn-north-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    client.middlewareStack.add(
      (_next, context) => async () => {
        sent.push(String(context.commandName));
        return { output: { $metadata: {} }, response: {} };
      },
      { step: 'initialize', name: 'recordCommands' },
    );
    const store = new CreditStore(DynamoDBDocumentClient.from(client), 'credit-table');
    // Act
    const decision = await authorizeRequest(
      store,
      { authorization: 'Bearer jc_SCJG_0123456789abcdef0123456789abcdef' },
      'arn:aws-cn:execute-api:cn-north-1:123456789012:abc123/china/GET/v1/checks',
    );
    // Assess
    expect(decision).toEqual({ ok: false, reason: 'UNKNOWN_KEY' });
    expect(sent).toEqual(['GetItemCommand']);
  });
});
