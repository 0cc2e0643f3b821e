import { createHash } from 'node:crypto';
import type { CreditRecord } from '#lib/datasets/index';
import { isReferenceRecord } from '#lib/datasets/reference/index';
import { nameKey } from '#lib/identifiers/subject-names';
import type { PriorArrivals, PriorRemovalStarts } from '#lib/ingest/ports';
import type { AcceptedRow, FirstArrival, RecordProvenance } from '#lib/ingest/types';
import type { FieldCorrections } from '#lib/lifecycle/objection-corrections';
import { calendarDayItem } from './calendar-items';
import { type AliasKind, keys } from './keys';
import { nameIndexItem } from './name-index';
import { publicationAttributes, storedPublication } from './publication-items';
import { referenceItems } from './reference-items';

export type Item = Record<string, unknown> & { pk: string; sk: string };

export type { RecordProvenance } from '#lib/ingest/types';

export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 24);
}

/** Datasets stored like list entries (item type `list-entry`, sk LIST#<type>#<id>). */
function isListLike(
  record: CreditRecord,
): record is Extract<CreditRecord, { dataset: 'list-entry' | 'court-dishonest' }> {
  return record.dataset === 'list-entry' || record.dataset === 'court-dishonest';
}

/** 双公示 records: versioned, with timeliness, withdrawable. */
function isDoublePublicity(
  record: CreditRecord,
): record is Extract<CreditRecord, { dataset: 'admin-penalty' | 'admin-license' }> {
  return record.dataset === 'admin-penalty' || record.dataset === 'admin-license';
}

/**
 * The key of the item that carries a 双公示 record's first arrival (its current version), or null
 * for datasets without one. The sink BatchGets these to keep timeliness judged on first arrival.
 */
export function recordItemKey(
  row: Pick<AcceptedRow, 'record' | 'businessKey'>,
): { pk: string; sk: string } | null {
  const { record } = row;
  if (!isDoublePublicity(record)) return null;
  return {
    pk: keys.subject(record.subject.key),
    sk: keys.record(record.dataset, shortHash(row.businessKey)),
  };
}

/**
 * A PriorArrivals lookup over any BatchGet (up to 100 keys per call; the caller's batchGet may be
 * called several times). Reads `firstReceivedAt`/`firstReceivedDate` of the stored record items.
 */
export function priorArrivalsFrom(batchGet: BatchGet): PriorArrivals {
  return async (rows) => {
    const wanted = new Map<string, { pk: string; sk: string; businessKey: string }>();
    for (const row of rows) {
      const key = recordItemKey(row);
      if (key) wanted.set(joinedKey(key), { ...key, businessKey: row.businessKey });
    }
    const found = new Map<string, FirstArrival>();
    await storedItemsOf(batchGet, wanted, (item, businessKey) => {
      const receivedAt = item.firstReceivedAt as string | undefined;
      const receivedDate = item.firstReceivedDate as string | undefined;
      const publication = storedPublication(item);
      if (receivedAt && receivedDate)
        found.set(businessKey, { receivedAt, receivedDate, ...(publication ? { publication } : {}) });
    });
    return found;
  };
}

type BatchGet = (keys: readonly { pk: string; sk: string }[]) => Promise<readonly Record<string, unknown>[]>;
const joinedKey = ({ pk, sk }: { pk: string; sk: string }) => `${pk}\u0000${sk}`;

/** Reads the wanted items (100 keys a BatchGet) and visits each stored one with its row's business key. */
async function storedItemsOf(
  batchGet: BatchGet,
  wanted: ReadonlyMap<string, { pk: string; sk: string; businessKey: string }>,
  visit: (item: Record<string, unknown>, businessKey: string) => void,
): Promise<void> {
  const all = [...wanted.values()].map(({ pk, sk }) => ({ pk, sk }));
  for (let i = 0; i < all.length; i += 100) {
    for (const item of await batchGet(all.slice(i, i + 100))) {
      const businessKey = wanted.get(joinedKey(item as { pk: string; sk: string }))?.businessKey;
      if (businessKey) visit(item, businessKey);
    }
  }
}

/**
 * A PriorRemovalStarts lookup over any BatchGet: the stored court entries of court rows marked
 * 全部履行 whose stored state is 全部履行 without 移出日期, with the day their removal clock started.
 */
export function priorRemovalStartsFrom(batchGet: BatchGet): PriorRemovalStarts {
  return async (rows) => {
    const wanted = new Map<string, { pk: string; sk: string; businessKey: string }>();
    for (const { record, businessKey } of rows) {
      if (record.dataset !== 'court-dishonest' || !record.removalFrom) continue;
      const key = {
        pk: keys.subject(record.subject.key),
        sk: keys.listEntry(record.listTypeCode, shortHash(businessKey)),
      };
      wanted.set(joinedKey(key), { ...key, businessKey });
    }
    const found = new Map<string, string>();
    await storedItemsOf(batchGet, wanted, (item, businessKey) => {
      const stored = item.record as { removalFrom?: string; removedOn?: string; performance?: string };
      if (stored?.removalFrom && !stored.removedOn && stored.performance === '全部履行')
        found.set(businessKey, stored.removalFrom);
    });
    return found;
  };
}

/**
 * Who owns which attribute of a current record item — the RECORD# item of a 双公示 record and the
 * LIST# item of a list entry, the items the workflows mark. Ingestion owns exactly these: a
 * re-submission SETs them (and REMOVEs those its version lacks), so the data, the provenance and the
 * timeliness follow the latest delivery. Every other attribute belongs to a workflow and ingestion
 * never writes it: objections (`objectionOpen`, `openObjections`, `correctedByObjection`,
 * `objectionCorrections` — which a re-submission only reads, and ends a correction of when it
 * brings a new value: see currentRecordUpdate), credit
 * repair (`publicationStatus`, `sharingStatus`, `repair`), withdrawals (`withdrawal`), the deadlines
 * run (`displayStatus`, `hiddenOn`; a list entry's `status`, `expiredOn`).
 * `status` of a 双公示 record is shared one way: a 撤销 / 无效 row withdraws, nothing re-ingested
 * restores a withdrawn record.
 */
export const INGEST_OWNED_RECORD_ATTRIBUTES = [
  'type',
  'dataset',
  'subjectKey',
  'record',
  'recordId',
  'entryId',
  'agencyCode',
  'jobId',
  'sourceKey',
  'sourceRow',
  'receivedAt',
  'firstReceivedAt',
  'firstReceivedDate',
  'lastReceivedAt',
  'dueDate',
  'late',
  'timeliness',
  'pendingCalendarYear',
  'firstPublicAt',
  'firstPublicDate',
  'firstPublicBy',
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
] as const;

const CURRENT_RECORD_TYPES = new Set(['admin-penalty', 'admin-license', 'list-entry']);

/** Whether an item built by itemsForRow is a current record item (workflow state lives on it). */
export function isCurrentRecordItem(item: Item): boolean {
  return CURRENT_RECORD_TYPES.has(item.type as string);
}

/**
 * The corrections by objection a re-submission found on a stored current item (`before`, read with
 * it) and those left in force by the record it writes (`after`; lib/lifecycle/objection-corrections).
 */
export interface CorrectionsGuard {
  readonly before: FieldCorrections | undefined;
  readonly after: FieldCorrections | undefined;
}

const NO_CORRECTIONS: CorrectionsGuard = { before: undefined, after: undefined };

/**
 * The Update (without TableName; of an UpdateItem or a transaction) that writes a current record
 * item built by itemsForRow as an upsert of its ingest-owned attributes only: on a new record it
 * creates the same item a Put would; on a stored one it leaves the workflows' attributes as they are.
 * The item's record has been reconciled with the corrections read (`guard`), so the write is
 * conditional on them being unchanged: a correction stored meanwhile makes it fail
 * (ConditionalCheckFailed), and the writer reads again and retries.
 */
export function currentRecordUpdate(item: Item, guard: CorrectionsGuard = NO_CORRECTIONS) {
  const set: string[] = [];
  const remove: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  INGEST_OWNED_RECORD_ATTRIBUTES.forEach((name, index) => {
    names[`#a${index}`] = name;
    if (item[name] === undefined) remove.push(`#a${index}`);
    else {
      set.push(`#a${index} = :a${index}`);
      values[`:a${index}`] = item[name];
    }
  });
  if (item.status !== undefined) {
    names['#status'] = 'status';
    values[':status'] = item.status;
    set.push(item.status === 'withdrawn' ? '#status = :status' : '#status = if_not_exists(#status, :status)');
  }
  const corrections = correctionsParts(guard, { set, remove, names, values });
  return {
    Key: { pk: item.pk, sk: item.sk },
    UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
    ConditionExpression: corrections,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** Adds the corrections' part to an update (the corrections ended by a new value go); its condition. */
function correctionsParts(
  guard: CorrectionsGuard,
  update: { set: string[]; remove: string[]; names: Record<string, string>; values: Record<string, unknown> },
): string {
  update.names['#corrections'] = 'objectionCorrections';
  if (!guard.before) return 'attribute_not_exists(#corrections)';
  update.values[':correctionsBefore'] = guard.before;
  if (!guard.after) update.remove.push('#corrections');
  // Reconciling only ends corrections, never changes one: fewer keys is the only change.
  else if (Object.keys(guard.after).length !== Object.keys(guard.before).length) {
    update.set.push('#corrections = :corrections');
    update.values[':corrections'] = guard.after;
  }
  return '#corrections = :correctionsBefore';
}

function calendarRowItem(
  record: Extract<CreditRecord, { dataset: 'calendar' }>,
  provenance: RecordProvenance,
) {
  const { date, kind, name } = record;
  return calendarDayItem(
    { date, kind, ...(name ? { name } : {}) },
    { ...provenance, storedAt: provenance.receivedAt },
  );
}

function timelinessOf(row: AcceptedRow) {
  return {
    dueDate: row.dueDate,
    late: row.late,
    ...(row.timeliness ? { timeliness: row.timeliness } : {}),
    ...(row.pendingCalendarYear ? { pendingCalendarYear: row.pendingCalendarYear } : {}),
  };
}

/** gsi2 of a 双公示 record: by the day a late one arrived, or by the calendar year a pending one waits for. */
function timelinessIndex(row: AcceptedRow, receivedDate: string, agencyAndId: string) {
  if (row.late) return { gsi2pk: keys.lateOn(receivedDate), gsi2sk: agencyAndId };
  if (row.timeliness === 'pending-calendar' && row.pendingCalendarYear)
    return {
      gsi2pk: keys.pendingCalendar(row.pendingCalendarYear),
      gsi2sk: `${receivedDate}#${agencyAndId}`,
    };
  return {};
}

/**
 * A list entry (or court entry) item: sk LIST#<type>#<id>; on gsi2 by the end of its period; list
 * entries also on gsi1 by list type and reporting agency, so that the consistency report finds
 * entries from agencies the list type does not name; court entries on gsi1 while their removal
 * deadline waits for a calendar year.
 */
function listEntryItem(
  record: Extract<CreditRecord, { dataset: 'list-entry' | 'court-dishonest' }>,
  common: Record<string, unknown> & { pk: string },
  id: string,
  agencyCode: string,
): Item {
  const { pk } = common;
  return {
    ...common,
    type: 'list-entry',
    dataset: record.dataset,
    sk: keys.listEntry(record.listTypeCode, id),
    entryId: id,
    ...(record.validUntil ? { gsi2pk: keys.expiresOn(record.validUntil), gsi2sk: `${pk}#${id}` } : {}),
    ...(record.dataset === 'list-entry'
      ? { gsi1pk: keys.listTypeEntries(record.listTypeCode), gsi1sk: `${agencyCode}#${pk}#${id}` }
      : pendingRemovalIndex(record, pk, id)),
  };
}

/** gsi1 of a court entry whose removal deadline waits for a calendar year: the deadlines run settles it. */
function pendingRemovalIndex(
  record: Extract<CreditRecord, { dataset: 'court-dishonest' }>,
  pk: string,
  id: string,
) {
  if (record.removalDueBy !== null || !record.removalFrom) return {};
  return { gsi1pk: keys.pendingRemoval, gsi1sk: `${record.removalFrom}#${pk}#${id}` };
}

/**
 * The items one accepted row becomes, all deterministic (a redelivery writes the same items):
 * - 双公示 records (行政处罚, 行政许可): the current version at RECORD#<dataset>#<id> (id = hash of
 *   the business key, so a re-submission overwrites it, never duplicates it) with `status`
 *   active/withdrawn and the FIRST arrival kept for timeliness, plus one history item per version at
 *   HISTORY#<dataset>#<id>#<receivedAt>#<jobId>#<row>;
 * - list entries and court 失信被执行人 entries: LIST#<listType>#<id>, item type `list-entry`;
 * - code mappings: RECORD#code-mapping#<id> and the alias items;
 * - alias items (ALIAS#ORG/REG/TAX/MASKEDID/LEGALREP/NAME) leading to the subject; NAME for every
 *   list-like entry (its normalised name), coded or not.
 */
export function itemsForRow(row: AcceptedRow, provenance: RecordProvenance): Item[] {
  const { record } = row;
  // Reference data has no subject: its items are mapped in lib/reference.
  if (isReferenceRecord(record)) return referenceItems(record, row.row, provenance);
  if (record.dataset === 'calendar') return [calendarRowItem(record, provenance)];
  if (!('subject' in record)) return [];
  const pk = keys.subject(record.subject.key);
  const id = shortHash(row.businessKey);
  const common = {
    pk,
    type: record.dataset,
    subjectKey: record.subject.key,
    record,
    agencyCode: provenance.agencyCode,
    jobId: provenance.jobId,
    sourceKey: provenance.sourceKey,
    sourceRow: row.row,
    receivedAt: provenance.receivedAt,
  };
  return [...recordItems(row, record, common, id, provenance), ...aliasItems(record, pk)];
}

type SubjectRecord = Extract<CreditRecord, { subject: unknown }>;
type CommonAttributes = Record<string, unknown> & { pk: string };

/** The record's own items: a list entry, a 双公示 record with its version, or a plain record (code mapping). */
function recordItems(
  row: AcceptedRow,
  record: SubjectRecord,
  common: CommonAttributes,
  id: string,
  provenance: RecordProvenance,
): Item[] {
  if (isListLike(record)) return [listEntryItem(record, common, id, provenance.agencyCode)];
  if (isDoublePublicity(record)) return doublePublicityItems(row, record, common, id, provenance);
  return [{ ...common, sk: keys.record(record.dataset, id), recordId: id }];
}

/** A 双公示 record's current item (timeliness on its first arrival) and the version this row delivered. */
function doublePublicityItems(
  row: AcceptedRow,
  record: Extract<CreditRecord, { dataset: 'admin-penalty' | 'admin-license' }>,
  common: CommonAttributes,
  id: string,
  provenance: RecordProvenance,
): Item[] {
  const { pk } = common;
  const first = row.firstArrival ?? {
    receivedAt: provenance.receivedAt,
    receivedDate: provenance.receivedDate,
  };
  const status = row.lifecycle;
  const current: Item = {
    ...common,
    sk: keys.record(record.dataset, id),
    recordId: id,
    status,
    // Timeliness is judged on the first arrival; the latest delivery is kept beside it.
    receivedAt: first.receivedAt,
    firstReceivedAt: first.receivedAt,
    firstReceivedDate: first.receivedDate,
    lastReceivedAt: provenance.receivedAt,
    ...timelinessOf(row),
    ...publicationAttributes(row.publication),
    // The deadlines run hides the record from display the day after its 公示截止期.
    ...('displayUntil' in record && record.displayUntil
      ? { gsi1pk: keys.displayEndsOn(record.displayUntil), gsi1sk: `${pk}#${id}` }
      : {}),
    ...timelinessIndex(row, first.receivedDate, `${provenance.agencyCode}#${id}`),
  };
  const version: Item = {
    ...common,
    sk: keys.recordVersion(record.dataset, id, provenance.receivedAt, provenance.jobId, row.row),
    type: 'record-version',
    dataset: record.dataset,
    recordId: id,
    status,
  };
  return [current, version];
}

/** The alias items that lead other identifiers (and names) to the subject's partition. */
function aliasItems(record: SubjectRecord, pk: string): Item[] {
  const { subject } = record;
  const aliasTarget = { sk: pk, type: 'alias', subjectKey: subject.key };
  const alias = (kind: AliasKind, value: string, extra: Record<string, unknown> = {}): Item => ({
    pk: keys.alias(kind, value),
    ...aliasTarget,
    ...extra,
  });
  const items: Item[] = [];
  if (subject.organisationCode) items.push(alias('ORG', subject.organisationCode));
  if (subject.registrationNumber && !subject.key.startsWith('REG#'))
    items.push(alias('REG', subject.registrationNumber));
  if (record.dataset === 'code-mapping' && record.taxRegistrationNumber)
    items.push(alias('TAX', record.taxRegistrationNumber));
  // A masked resident ID (court lists) is found by masking the checked ID, then comparing names.
  if (subject.key.startsWith('MASKED#') && subject.idNumber)
    items.push(alias('MASKEDID', subject.idNumber, { name: subject.name }));
  // Every list entry, coded or not, is found by normalised name: a check that gives only a name gets
  // it as a possible hit (entries stored before this index need re-ingestion or tools/backfill-name-index.ts).
  if (isListLike(record) && subject.name) items.push(nameIndexItem(subject));
  // The public search finds organisations and 个体工商户 of published datasets by name; persons never.
  if ((isDoublePublicity(record) || isListLike(record)) && subject.kind !== 'person' && subject.name)
    items.push(alias('ORGNAME', nameKey(subject.name)));
  const legalRepId = 'legalRepresentative' in record ? record.legalRepresentative?.idNumber : undefined;
  if (legalRepId && subject.kind !== 'person')
    items.push(alias('LEGALREP', legalRepId, { relation: 'legal-representative' }));
  return items;
}
