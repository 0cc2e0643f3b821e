import { readFileSync } from 'node:fs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { keys } from '#lib/aws/items/keys';
import { csv, jsonLines, xlsxBuffer } from '#test/support/csv-fixtures';
import { registerAgency } from '../support/credit-fixtures';
import { useLocalStack } from '../support/local-stack';
import { ingestAndReport } from './report-fixture';

// The credit office's datasets (reference data and the calendar) in every format, through the emulators.
const stack = useLocalStack();

type Rows = string[][];
const formats: { name: string; ext: string; encode: (rows: Rows) => Promise<string | Buffer> }[] = [
  { name: 'CSV UTF-8', ext: 'csv', encode: async (rows) => `\uFEFF${csv(rows)}` },
  { name: 'CSV GBK', ext: 'csv', encode: async (rows) => iconv.encode(csv(rows), 'gbk') },
  { name: 'XLSX', ext: 'xlsx', encode: (rows) => xlsxBuffer(rows) },
  { name: 'JSON Lines', ext: 'jsonl', encode: async (rows) => jsonLines(rows) },
];

/** Header and first row of the demo file, with the code column made unique per format. */
function demoRows(path: string, codeColumn: number, suffix: string): Rows {
  const [header, first] = parse(
    readFileSync(new URL(`../../../local/demo/XYB/${path}`, import.meta.url), 'utf8'),
    {
      bom: true,
    },
  ) as Rows;
  const row = [...first!];
  row[codeColumn] = `${row[codeColumn]}${suffix}`;
  return [header!, row];
}

const cases: {
  dataset: string;
  rows: (suffix: string) => Rows;
  stored: (suffix: string) => { pk: string; sk: string };
}[] = [
  {
    dataset: 'list-type',
    rows: (suffix) => demoRows('list-type/list-types.csv', 0, suffix),
    stored: (suffix) => ({ pk: keys.reference('LIST_TYPE'), sk: `HMD-SW-ZDSSWF${suffix}` }),
  },
  {
    dataset: 'memorandum',
    rows: (suffix) => demoRows('memorandum/memoranda.csv', 1, suffix),
    stored: (suffix) => ({ pk: keys.reference('MEMORANDUM'), sk: `发改财金〔2016〕1580号${suffix}` }),
  },
  {
    dataset: 'measure',
    rows: (suffix) => demoRows('measure/measures.csv', 0, suffix),
    stored: (suffix) => ({ pk: keys.reference('MEASURE'), sk: `CS-1580-01${suffix}` }),
  },
  {
    dataset: 'matter',
    rows: (suffix) => demoRows('matter/matters.csv', 0, suffix),
    stored: (suffix) => ({ pk: keys.reference('MATTER'), sk: `SCJG-XK-001${suffix}` }),
  },
];

describe('Path: the credit office datasets in every format', () => {
  it.each(cases.flatMap((c) => formats.map((f, i) => ({ ...c, format: f, suffix: `-F${i}` }))))(
    '$dataset from $format.name',
    async ({ dataset, rows, stored, format, suffix }) => {
      // Prepare
      await registerAgency(stack(), 'XYB', '11440700MB2E345657', ['credit-office']);
      // Act
      const report = await ingestAndReport(
        stack(),
        'XYB',
        dataset,
        `${dataset}${suffix}.${format.ext}`,
        await format.encode(rows(suffix)),
      );
      // Assess
      expect(report).toMatchObject({ status: 'completed', counts: { accepted: 1, rejected: 0 } });
      const item = await stack().clients.documentClient.send(
        new GetCommand({ TableName: stack().config.tableName, Key: stored(suffix) }),
      );
      expect(item.Item).toBeDefined();
    },
  );

  it.each(formats.map((format, i) => ({ format, year: 2030 + i })))(
    'calendar from $format.name',
    async ({ format, year }) => {
      await registerAgency(stack(), 'XYB', '11440700MB2E345657', ['credit-office']);
      const rows: Rows = [
        ['日期', '类型', '名称'],
        [`${year}-01-01`, '休息日', '元旦'],
        [`${year}-10-01`, '休息日', '国庆节'],
      ];
      const report = await ingestAndReport(
        stack(),
        'XYB',
        'calendar',
        `${year}.${format.ext}`,
        await format.encode(rows),
      );
      expect(report).toMatchObject({ status: 'completed', counts: { accepted: 2, rejected: 0 } });
      const day = await stack().clients.documentClient.send(
        new GetCommand({
          TableName: stack().config.tableName,
          Key: { pk: keys.calendar, sk: keys.calendarDay(`${year}-10-01`) },
        }),
      );
      expect(day.Item).toMatchObject({ kind: 'holiday' });
    },
  );
});
