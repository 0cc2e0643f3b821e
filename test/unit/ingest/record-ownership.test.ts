import { describe, expect, it } from 'vitest';
import {
  currentRecordUpdate,
  INGEST_OWNED_RECORD_ATTRIBUTES,
  type Item,
  isCurrentRecordItem,
  itemsForRow,
} from '#lib/aws/items/items';
import {
  CorrectionsChangedError,
  type CurrentUpdate,
  DynamoRecordWriter,
  type RecordTable,
} from '#lib/aws/record-writer';
import type { FieldCorrections } from '#lib/lifecycle/objection-corrections';
import {
  courtHeader,
  courtRow,
  csv,
  licenceHeader,
  licenceRow,
  listEntryHeader,
  listEntryRow,
  penaltyHeader,
  penaltyRow,
  testListTypeRules,
} from '#test/support/csv-fixtures';
import { ingestText } from '../datasets/support';

/** The agency the test list types name for HMD-SW-ZDSSWF. */
const taxBureau = { code: 'SWJ', name: '国家税务总局江门市税务局', uscc: '11440700MB2C123480' };

const provenance = {
  agencyCode: 'SCJG',
  jobId: 'job-1',
  sourceKey: 'incoming/SCJG/admin-penalty/a.csv',
  receivedAt: '2026-11-20T02:00:00.000Z',
  receivedDate: '2026-11-20',
};
const later = {
  ...provenance,
  jobId: 'job-2',
  receivedAt: '2026-11-30T02:00:00.000Z',
  receivedDate: '2026-11-30',
};

/** What the workflows write on a record item (objections, repair, withdrawals, the deadlines run). */
const workflowState = {
  objectionOpen: true,
  openObjections: ['OBJ-1'],
  correctedByObjection: 'OBJ-0',
  publicationStatus: 'STOPPED',
  sharingStatus: 'STOPPED',
  repair: { applicationNo: 'XF-1', stoppedAt: '2026-11-25T02:00:00.000Z', decidedBy: 'SCJG' },
  withdrawal: { revokedOn: '2026-11-24', withdrawnOn: '2026-11-25' },
  displayStatus: 'hidden',
  hiddenOn: '2026-11-26',
};

/** DynamoDB's UpdateItem semantics for the shapes currentRecordUpdate builds (SET, if_not_exists, REMOVE). */
function applyUpdate(stored: Item | undefined, update: ReturnType<typeof currentRecordUpdate>): Item {
  const result: Record<string, unknown> = { ...(stored ?? update.Key) };
  const name = (ref: string) => update.ExpressionAttributeNames[ref.trim()]!;
  const [setPart = '', removePart = ''] = update.UpdateExpression.replace(/^SET /, '').split(' REMOVE ');
  for (const assignment of setPart.split(/, (?=#)/)) {
    const [target, value] = assignment.split(' = ') as [string, string];
    const keep = value.match(/^if_not_exists\((#\w+), (:\w+)\)$/);
    const attribute = name(target);
    if (keep) result[attribute] ??= update.ExpressionAttributeValues[keep[2]!];
    else result[attribute] = update.ExpressionAttributeValues[value.trim()];
  }
  for (const ref of removePart ? removePart.split(', ') : []) delete result[name(ref)];
  return result as Item;
}

async function currentItemOf(dataset: 'admin-penalty' | 'admin-license', body: string, arrival = provenance) {
  const { stored } = await ingestText(dataset, body);
  return itemsForRow(stored[0]!, arrival).find(isCurrentRecordItem)!;
}

describe('Ownership of the current record item', () => {
  it('ingestion builds only attributes it owns (and the key and status) on every kind of current item', async () => {
    const rows = [
      ...(await ingestText('admin-penalty', csv([penaltyHeader, penaltyRow()]))).stored,
      ...(await ingestText('admin-license', csv([licenceHeader, licenceRow()]))).stored,
      ...(
        await ingestText('list-entry', csv([listEntryHeader, listEntryRow()]), {
          context: { agency: taxBureau, today: '2026-11-24', listTypes: testListTypeRules },
        })
      ).stored,
      ...(await ingestText('court-dishonest', csv([courtHeader, courtRow()]))).stored,
    ];
    const current = rows.flatMap((row) => itemsForRow(row, provenance)).filter(isCurrentRecordItem);
    expect(current.map((item) => item.type)).toEqual([
      'admin-penalty',
      'admin-license',
      'list-entry',
      'list-entry',
    ]);
    const owned = new Set<string>([...INGEST_OWNED_RECORD_ATTRIBUTES, 'pk', 'sk', 'status']);
    for (const item of current) expect(Object.keys(item).filter((key) => !owned.has(key))).toEqual([]);
    for (const attribute of Object.keys(workflowState))
      expect(INGEST_OWNED_RECORD_ATTRIBUTES).not.toContain(attribute);
  });

  it('a re-submission updates the data and provenance and carries every workflow attribute over', async () => {
    const first = await currentItemOf('admin-penalty', csv([penaltyHeader, penaltyRow()]));
    const stored = { ...first, ...workflowState };
    const changed = await currentItemOf(
      'admin-penalty',
      csv([penaltyHeader, penaltyRow({ CF_SY: '复检确认不合格' })]),
      later,
    );

    const after = applyUpdate(stored, currentRecordUpdate(changed));

    expect(after).toMatchObject({ ...workflowState, status: 'active', jobId: 'job-2' });
    expect((after.record as { facts: string }).facts).toBe('复检确认不合格');
    expect(after.lastReceivedAt).toBe(later.receivedAt);
  });

  it('on a new record the update creates the item a Put would', async () => {
    const item = await currentItemOf('admin-license', csv([licenceHeader, licenceRow()]));
    expect(applyUpdate(undefined, currentRecordUpdate(item))).toEqual(item);
  });

  it('ingestion can withdraw (a 撤销 / 无效 row) but an active re-submission never restores a withdrawn record', async () => {
    const active = await currentItemOf('admin-license', csv([licenceHeader, licenceRow()]));
    const invalid = await currentItemOf('admin-license', csv([licenceHeader, licenceRow({ XK_ZT: '2' })]));
    expect(applyUpdate(active, currentRecordUpdate(invalid)).status).toBe('withdrawn');
    const withdrawn = { ...active, status: 'withdrawn', withdrawal: workflowState.withdrawal };
    expect(applyUpdate(withdrawn, currentRecordUpdate(active))).toMatchObject({
      status: 'withdrawn',
      withdrawal: workflowState.withdrawal,
    });
  });

  it('removes ingest-owned attributes the new version lacks (a record no longer late leaves the late index)', async () => {
    const item = await currentItemOf('admin-penalty', csv([penaltyHeader, penaltyRow()]));
    const stored = { ...item, gsi2pk: 'LATE#2026-11-20', gsi2sk: 'SCJG#x', ...workflowState };
    const { gsi2pk: _pk, gsi2sk: _sk, ...notLate } = item;
    const after = applyUpdate(stored, currentRecordUpdate(notLate as Item));
    expect(after).not.toHaveProperty('gsi2pk');
    expect(after).toMatchObject(workflowState);
  });
});

describe('Class: DynamoRecordWriter', () => {
  const keyOf = ({ pk, sk }: { pk: string; sk: string }) => `${pk}\u0000${sk}`;

  /** A table whose current items are stored (or not) with these corrections; `conflicts` failed updates first. */
  function table(options: {
    stored: boolean;
    corrections?: (FieldCorrections | undefined)[];
    conflicts?: number;
  }) {
    const put: Item[] = [];
    const updated: CurrentUpdate[] = [];
    const reads: number[] = [];
    let conflicts = options.conflicts ?? 0;
    const recordTable: RecordTable = {
      putItems: async (items) => void put.push(...items),
      deleteItems: async () => undefined,
      updateItems: async (updates) => {
        if (conflicts-- > 0) throw new CorrectionsChangedError('corrected meanwhile');
        updated.push(...updates);
      },
      storedCurrent: async (keys) => {
        reads.push(keys.length);
        const corrections = options.corrections?.[Math.min(reads.length, options.corrections.length) - 1];
        return new Map(
          options.stored ? keys.map((key) => [keyOf(key), corrections ? { corrections } : {}]) : [],
        );
      },
    };
    return { put, updated, reads, recordTable };
  }

  async function written(storedBefore: boolean) {
    const { stored } = await ingestText('admin-penalty', csv([penaltyHeader, penaltyRow()]));
    const { put, updated, recordTable } = table({ stored: storedBefore });
    await new DynamoRecordWriter(recordTable).write([stored[0]!, stored[0]!], provenance);
    return { put, updated: updated.map(({ item }) => item) };
  }

  it('updates a stored current record item (once per batch) and puts every other item', async () => {
    const { put, updated } = await written(true);
    expect(updated.map((item) => item.type)).toEqual(['admin-penalty']);
    expect(put.some(isCurrentRecordItem)).toBe(false);
    expect(put.map((item) => item.type)).toContain('record-version');
  });

  it('puts a current record item not stored yet with the others', async () => {
    const { put, updated } = await written(false);
    expect(updated).toEqual([]);
    expect(put.filter(isCurrentRecordItem).map((item) => item.type)).toEqual(['admin-penalty']);
  });

  const facts = {
    facts: {
      objectionId: 'OBJ-1',
      sourceValue: '销售抽检不合格的建筑用钢筋',
      value: '销售抽检不合格的建筑用钢管',
      correctedAt: '2026-11-25T02:00:00.000Z',
    },
  };

  it('keeps a corrected field the source sends with the wrong value again, reports the row, and keeps what was sent in the version', async () => {
    const { stored } = await ingestText('admin-penalty', csv([penaltyHeader, penaltyRow()]));
    const { put, updated, recordTable } = table({ stored: true, corrections: [facts] });

    const result = await new DynamoRecordWriter(recordTable).write([stored[0]!], later);

    expect(result.correctionsKept).toEqual([
      { row: stored[0]!.row, corrections: [{ field: 'facts', objectionId: 'OBJ-1' }] },
    ]);
    expect(updated[0]!.item.record).toMatchObject({ facts: '销售抽检不合格的建筑用钢管' });
    expect(updated[0]!.guard).toEqual({ before: facts, after: facts });
    const version = put.find((item) => item.type === 'record-version');
    expect(version?.record).toMatchObject({ facts: '销售抽检不合格的建筑用钢筋' });
  });

  it('reads the corrections again when one was made while it wrote, and reconciles with the new one', async () => {
    const { stored } = await ingestText('admin-penalty', csv([penaltyHeader, penaltyRow()]));
    const { updated, reads, recordTable } = table({
      stored: true,
      corrections: [undefined, facts],
      conflicts: 1,
    });

    const result = await new DynamoRecordWriter(recordTable).write([stored[0]!], later);

    expect(reads).toEqual([1, 1]);
    expect(updated[0]!.item.record).toMatchObject({ facts: '销售抽检不合格的建筑用钢管' });
    expect(result.correctionsKept.map(({ corrections }) => corrections)).toEqual([
      [{ field: 'facts', objectionId: 'OBJ-1' }],
    ]);
  });
});
