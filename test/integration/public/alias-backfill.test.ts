import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { nameKey } from '#lib/identifiers/subject-names';
import { publicDisclosure } from '#lib/platform/public-disclosure';
import { codes, penaltyCsv } from '#test/support/csv-fixtures';
import { runAliasBackfill } from '#tools/alias-backfill';
import { ingestFile, registerAgency } from '../support/credit-fixtures';
import { useLocalStack } from '../support/local-stack';

const stack = useLocalStack();
const name = '江门市鸿运建材有限公司';
const aliasPk = `ALIAS#ORGNAME#${nameKey(name)}`;

/** A public search by exact name, with no key. */
async function searchByName() {
  const response = await stack().api.request(
    'GET',
    `${publicDisclosure.apiPath}/subjects?q=${encodeURIComponent(name)}`,
  );
  return JSON.parse(response.body).results as { code: string }[];
}

async function aliasItems() {
  const result = await stack().clients.documentClient.send(
    new QueryCommand({
      TableName: stack().config.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': aliasPk },
    }),
  );
  return result.Items ?? [];
}

describe('Command: admin alias backfill', () => {
  it('gives a subject stored before the name index its alias, once, resuming page by page', async () => {
    // Prepare: a company's penalties stored as before the index (its ORGNAME alias removed)
    await registerAgency(stack(), 'SCJG');
    await ingestFile(
      stack(),
      'SCJG',
      'admin-penalty',
      'old.csv',
      penaltyCsv([{ CF_WSH: 'OLD-1' }, { CF_WSH: 'OLD-2' }, { CF_WSH: 'OLD-3' }]),
    );
    const { documentClient } = stack().clients;
    const target = { documentClient, tableName: stack().config.tableName };
    await documentClient.send(
      new DeleteCommand({
        TableName: target.tableName,
        Key: { pk: aliasPk, sk: `SUBJECT#USCC#${codes.companyUscc}` },
      }),
    );
    const before = await searchByName();
    const lines: string[] = [];
    // Act: two pages, stop, resume from the printed token; then the whole run again
    const partial = await runAliasBackfill(target, { pageSize: 2, maxPages: 2 }, (line) => lines.push(line));
    const resumed = await runAliasBackfill(
      target,
      { pageSize: 2, ...(partial.next ? { from: partial.next } : {}) },
      (line) => lines.push(line),
    );
    const again = await runAliasBackfill(target, { pageSize: 500 }, (line) => lines.push(line));
    const after = await searchByName();
    // Assess
    expect(before).toEqual([]);
    expect(partial.pages).toBe(2);
    expect(partial.next).not.toBeNull();
    expect(lines[1]).toContain(`resume with --from ${partial.next}`);
    expect(resumed.next).toBeNull();
    expect(partial.created + resumed.created).toBe(1);
    expect(partial.records + resumed.records).toBe(3);
    expect(again).toMatchObject({ created: 0, existing: 1, records: 3, next: null });
    expect(await aliasItems()).toHaveLength(1);
    expect(after).toEqual([expect.objectContaining({ code: codes.companyUscc })]);
  });
});
