import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { build, type Metafile } from 'esbuild';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '#infra/config';
import { type ItemAction, tableAccess } from '#infra/constructs/credit-table';
import { authorizeRequest } from '#lib/auth/authorize';
import { CreditStore } from '#lib/aws/credit-store';
import { keys } from '#lib/aws/items/keys';
import { type FunctionName, functions, operatorKeyPrefixes } from '#lib/platform/resources';

/** The IAM item actions a DynamoDB command needs (transactions: see `actionsOfTransactionItem`). */
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
  TransactWriteCommand: [],
  TransactWriteItemsCommand: [],
  TransactGetCommand: [],
  TransactGetItemsCommand: [],
};

/**
 * A transaction is authorised item by item: Put, Update, Delete and Get as PutItem, UpdateItem,
 * DeleteItem and GetItem, ConditionCheck as ConditionCheckItem (DynamoDB developer guide, "Using IAM
 * with DynamoDB transactions"). Per transaction command, its item kinds (their keys in TransactItems).
 */
const writeItemActions: Readonly<Record<string, ItemAction>> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
};
const getItemActions: Readonly<Record<string, ItemAction>> = { Get: 'GetItem' };
const actionsOfTransactionItem: Record<string, Readonly<Record<string, ItemAction>>> = {
  TransactWriteCommand: writeItemActions,
  TransactWriteItemsCommand: writeItemActions,
  TransactGetCommand: getItemActions,
  TransactGetItemsCommand: getItemActions,
};

const itemKinds = new Set(Object.values(actionsOfTransactionItem).flatMap((kinds) => Object.keys(kinds)));

interface BundleUse {
  /** The DynamoDB commands the bundle imports (the SDK is external, so imports keep their names). */
  readonly commands: readonly string[];
  /** Transaction item kinds (Put, Update, …) written as object keys in the project modules it bundles. */
  readonly itemKinds: readonly string[];
}

async function bundleOf(entry: string): Promise<{ text: string; metafile: Metafile }> {
  const result = await build({
    entryPoints: [join(repoRoot, entry)],
    absWorkingDir: repoRoot,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: ['@aws-sdk/*'],
    logLevel: 'silent',
  });
  return { text: result.outputFiles.map((file) => file.text).join('\n'), metafile: result.metafile };
}

function commandsIn(text: string): string[] {
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

/** The project's own modules of which some code is in the bundle (tree-shaken ones left out). */
function projectModules(metafile: Metafile): string[] {
  return Object.values(metafile.outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([path, input]) => input.bytesInOutput > 0 && !path.startsWith('node_modules/'))
      .filter(([path]) => /\.ts$/.test(path))
      .map(([path]) => path),
  );
}

const kindsOfModule = new Map<string, string[]>();

/**
 * The item kinds a module writes as keys of object literals (`{ Put: … }`, `{ ConditionCheck }`),
 * wherever the object is built: a transaction's items are often made by helpers (record-tally-items).
 */
function itemKindsIn(path: string): string[] {
  const cached = kindsOfModule.get(path);
  if (cached) return cached;
  const source = ts.createSourceFile(
    path,
    readFileSync(join(repoRoot, path), 'utf8'),
    ts.ScriptTarget.Latest,
  );
  const found = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (
      (ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) &&
      (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) &&
      itemKinds.has(node.name.text)
    )
      found.add(node.name.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  const kinds = [...found].sort();
  kindsOfModule.set(path, kinds);
  return kinds;
}

async function useOf(entry: string): Promise<BundleUse> {
  const { text, metafile } = await bundleOf(entry);
  const kinds = new Set(projectModules(metafile).flatMap(itemKindsIn));
  return { commands: commandsIn(text), itemKinds: [...kinds].sort() };
}

/** The item actions a bundle can send: its commands', and its transactions' items' (of their kinds). */
function actionsOfUse({ commands, itemKinds: kinds }: BundleUse): ItemAction[] {
  const actions = new Set(commands.flatMap((command) => actionsOfCommand[command] ?? []));
  for (const command of commands) {
    const ofItem = actionsOfTransactionItem[command] ?? {};
    for (const kind of kinds) {
      const action = ofItem[kind];
      if (action) actions.add(action);
    }
  }
  return [...actions].sort();
}

describe('DynamoDB grants follow the code (tableAccess)', () => {
  const bundled = new Map<FunctionName, BundleUse>();

  beforeAll(async () => {
    for (const name of Object.keys(functions) as FunctionName[]) {
      bundled.set(name, await useOf(functions[name].entry));
    }
  });

  const actionsIn = (name: FunctionName): ItemAction[] => {
    const use = bundled.get(name) ?? { commands: [], itemKinds: [] };
    const unknown = use.commands.filter((command) => actionsOfCommand[command] === undefined);
    expect(unknown, `commands without an IAM mapping in ${name}`).toEqual([]);
    for (const command of use.commands.filter((c) => actionsOfTransactionItem[c] !== undefined)) {
      const kinds = Object.keys(actionsOfTransactionItem[command] ?? {});
      expect(
        use.itemKinds.filter((kind) => kinds.includes(kind)),
        `${name} bundles ${command} but no module of it names an item kind (${kinds.join(', ')})`,
      ).not.toEqual([]);
    }
    return actionsOfUse(use);
  };

  it.each(['api', 'ingest', 'match', 'deadlines'] as const)(
    'grants %s exactly the item actions of the commands and transaction items in its bundle',
    (name) => {
      expect([...tableAccess[name].actions].sort()).toEqual(actionsIn(name));
    },
  );

  it("bundles a ConditionCheck item in api only: the record tally's save, apart from CreditStore", () => {
    const withConditionCheck = [...bundled].filter(([, use]) => use.itemKinds.includes('ConditionCheck'));
    expect(withConditionCheck.map(([name]) => name)).toEqual(['api']);
    for (const name of ['ingest', 'match'] as const) {
      expect(actionsIn(name)).not.toContain('ConditionCheckItem');
      expect(tableAccess[name].actions).not.toContain('ConditionCheckItem');
    }
  });

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
