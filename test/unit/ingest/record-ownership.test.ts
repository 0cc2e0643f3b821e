import { describe, expect, it } from 'vitest';
import {
  currentRecordUpdate,
  INGEST_OWNED_RECORD_ATTRIBUTES,
  type Item,
  isCurrentRecordItem,
  itemsForRow,
} from '#lib/aws/items/items';
import { DynamoRecordWriter } from '#lib/aws/record-writer';
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
  async function written(storedBefore: boolean) {
    const { stored } = await ingestText('admin-penalty', csv([penaltyHeader, penaltyRow()]));
    const put: Item[] = [];
    const updated: Item[] = [];
    const writer = new DynamoRecordWriter({
      putItems: async (items) => void put.push(...items),
      deleteItems: async () => undefined,
      updateItems: async (items) => void updated.push(...items),
      storedKeys: async (keys) => new Set(storedBefore ? keys.map(({ pk, sk }) => `${pk}\u0000${sk}`) : []),
    });
    await writer.write([stored[0]!, stored[0]!], provenance);
    return { put, updated };
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
});
