import { packageCalendar } from '#lib/calendar/calendar';
import { clockOf } from '#lib/clock/clock';
import type { AdminPenaltyRecord, ListEntryRecord } from '#lib/datasets/index';
import type { AlertPublisher, AlertStore } from '#lib/push/ports';
import type { Alert, OutgoingEvent, PublishOutcome } from '#lib/push/types';
import type { RepairDependencies } from '#lib/repair/deps';
import type {
  CommandClaim,
  CommitOutcome,
  CreateOutcome,
  MaterialStorage,
  RepairableRecord,
  RepairChange,
  RepairIds,
  RepairRecordReader,
  RepairStore,
  RepairWatch,
  RepairWatchReader,
} from '#lib/repair/ports';
import type { RecordRef, RepairCase, RepairHistoryEntry } from '#lib/repair/types';

/** In-memory ports of credit repair: the same contracts as lib/aws/repair-store.ts, no I/O. */

export const companyUscc = '91440703MA4W12346G';
export const companyKey = `USCC#${companyUscc}`;

const company = {
  key: companyKey,
  kind: 'organisation' as const,
  name: '江门市鸿运建材有限公司',
  uscc: companyUscc,
  flags: [],
};

export function penalty(overrides: Partial<AdminPenaltyRecord> = {}): AdminPenaltyRecord {
  return {
    dataset: 'admin-penalty',
    subject: company,
    documentNumber: '江市监罚〔2026〕118号',
    violationType: '产品质量',
    facts: '销售不合格钢筋',
    basis: '《产品质量法》第四十九条',
    categories: ['罚款'],
    content: '罚款5万元',
    fineAmount: 5,
    decisionDate: '2026-01-10',
    validUntil: null,
    severity: '一般',
    displayFrom: '2026-01-10',
    displayUntil: '2027-01-10',
    displayMinimumUntil: '2026-04-10',
    displayRuleSet: 'order-58',
    issuer: { name: '江门市市场监督管理局', code: '11440700007012346L' },
    source: { name: '江门市市场监督管理局', code: '11440700007012346L' },
    ...overrides,
  };
}

export function listEntry(overrides: Partial<ListEntryRecord> = {}): ListEntryRecord {
  return {
    dataset: 'list-entry',
    subject: company,
    listTypeCode: 'HMD-SW-ZDSSWF',
    basis: '《重大税收违法失信主体信息公布管理办法》第六条',
    decidingDepartment: '国家税务总局江门市税务局',
    listedOn: '2025-03-18',
    validUntil: '2028-03-17',
    reason: '虚开增值税专用发票',
    agencyCode: 'SWJ',
    ...overrides,
  };
}

interface StoredRecord {
  readonly subjectKey: string;
  readonly stored: RepairableRecord;
  stop?: Record<string, unknown>;
}

export class MemoryRepairStore implements RepairStore, RepairRecordReader, RepairWatchReader {
  readonly cases = new Map<string, RepairCase>();
  readonly histories = new Map<string, RepairHistoryEntry[]>();
  readonly claims = new Map<string, CommandClaim>();
  readonly openRecords = new Set<string>();
  readonly records: StoredRecord[] = [];
  readonly watches = new Map<string, RepairWatch[]>();

  addRecord(
    subjectKey: string,
    agencyCode: string,
    record: AdminPenaltyRecord | ListEntryRecord,
    recordId = 'rec-1',
  ) {
    const ref: RecordRef =
      record.dataset === 'list-entry'
        ? { dataset: 'list-entry', recordId, listTypeCode: record.listTypeCode }
        : { dataset: 'admin-penalty', recordId };
    this.records.push({ subjectKey, stored: { ref, agencyCode, record } });
    return ref;
  }

  recordFor(recordId: string): StoredRecord | undefined {
    return this.records.find((entry) => entry.stored.ref.recordId === recordId);
  }

  private markerOf(repair: RepairCase): string {
    return `${repair.subjectKey}|${repair.recordRef.dataset}|${repair.recordRef.recordId}`;
  }

  async createCase(
    created: RepairCase,
    history: RepairHistoryEntry,
    claim?: CommandClaim,
  ): Promise<CreateOutcome> {
    if (claim && this.claims.has(`${claim.scope}|${claim.key}`)) return 'claimed';
    if (this.openRecords.has(this.markerOf(created))) return 'already-open';
    this.openRecords.add(this.markerOf(created));
    this.cases.set(created.applicationNo, created);
    this.histories.set(created.applicationNo, [history]);
    if (claim) this.claims.set(`${claim.scope}|${claim.key}`, claim);
    return 'created';
  }

  async commit(change: RepairChange): Promise<CommitOutcome> {
    const { after } = change;
    if (change.claim && this.claims.has(`${change.claim.scope}|${change.claim.key}`)) return 'claimed';
    if (this.cases.get(after.applicationNo)?.version !== change.expectedVersion) return 'conflict';
    const record = change.stop ? this.recordFor(change.stop.ref.recordId) : undefined;
    if (change.stop && !record) return 'record-missing';
    this.cases.set(after.applicationNo, after);
    this.histories.get(after.applicationNo)?.push(...change.history);
    if (change.claim) this.claims.set(`${change.claim.scope}|${change.claim.key}`, change.claim);
    if (record && change.stop) {
      record.stop = { publicationStatus: 'STOPPED', sharingStatus: 'STOPPED', ...change.stop };
    }
    if (['DENIED', 'PUBLICATION_STOPPED', 'WITHDRAWN'].includes(after.status))
      this.openRecords.delete(this.markerOf(after));
    return 'committed';
  }

  async getCase(applicationNo: string) {
    return this.cases.get(applicationNo);
  }

  async history(applicationNo: string) {
    return [...(this.histories.get(applicationNo) ?? [])];
  }

  async findClaim(scope: string, key: string) {
    return this.claims.get(`${scope}|${key}`);
  }

  async openCases() {
    return [...this.cases.values()].filter((repair) =>
      ['SUBMITTED', 'ACCEPTED', 'FORWARDED_TO_AUTHORITY', 'EXTENDED'].includes(repair.status),
    );
  }

  async listCases(filter: { decidingAgency?: string; limit: number }) {
    return [...this.cases.values()]
      .filter(
        (repair) => filter.decidingAgency === undefined || repair.decidingAgency === filter.decidingAgency,
      )
      .slice(0, filter.limit);
  }

  async findRecord(subjectKey: string, ref: Pick<RecordRef, 'dataset' | 'recordId'>) {
    const found = this.records.find(
      (entry) =>
        entry.subjectKey === subjectKey &&
        entry.stored.ref.dataset === ref.dataset &&
        entry.stored.ref.recordId === ref.recordId,
    );
    if (!found) return undefined;
    return found.stop ? { ...found.stored, publicationStatus: 'STOPPED' } : found.stored;
  }

  async openWatches(subjectKey: string) {
    return this.watches.get(subjectKey) ?? [];
  }
}

export class MemoryMaterials implements MaterialStorage {
  readonly uploaded = new Set<string>();
  async uploadTarget(
    applicationNo: string,
    materialId: string,
    contentType: string,
    expiresInSeconds: number,
  ) {
    return {
      url: `https://bucket.example/repair-materials/${applicationNo}/${materialId}?expires=${expiresInSeconds}`,
      headers: { 'content-type': contentType },
    };
  }
  async exists(applicationNo: string, materialId: string) {
    return this.uploaded.has(`${applicationNo}/${materialId}`);
  }
}

export class MemoryAlerts implements AlertStore, AlertPublisher {
  readonly alerts = new Map<string, Alert>();
  readonly published: OutgoingEvent[] = [];
  readonly outbox = new Set<string>();
  async createAlert(alert: Alert, _subjectKey: string) {
    if (this.alerts.has(alert.alertId)) return false;
    this.alerts.set(alert.alertId, alert);
    this.outbox.add(alert.alertId);
    return true;
  }
  async markPublished(_subjectKey: string, alertId: string) {
    this.outbox.delete(alertId);
  }
  async publish(events: readonly OutgoingEvent[]): Promise<PublishOutcome> {
    this.published.push(...events);
    return { published: events.map((event) => event.id), failed: [] };
  }
}

export function sequentialIds(): RepairIds {
  let n = 0;
  return {
    applicationNo: (date) => `XF${date.replace(/-/g, '')}${String(++n).padStart(4, '0')}`,
    secret: () => `secret-${++n}`,
    materialId: () => `mat-${++n}`,
  };
}

/** A clock the test moves (Shanghai noon of the given day). */
export function movableClock(day: string) {
  let current = new Date(`${day}T12:00:00+08:00`);
  return {
    clock: clockOf(() => current),
    setDay(next: string) {
      current = new Date(`${next}T12:00:00+08:00`);
    },
  };
}

export function repairWorld(day: string) {
  const store = new MemoryRepairStore();
  const materials = new MemoryMaterials();
  const alerts = new MemoryAlerts();
  const time = movableClock(day);
  const deps: RepairDependencies = {
    store,
    records: store,
    watchers: store,
    materials,
    alerts,
    publisher: alerts,
    calendar: async () => packageCalendar,
    clock: time.clock,
    ids: sequentialIds(),
  };
  return { deps, store, materials, alerts, time };
}
