import { createHash, randomBytes } from 'node:crypto';
import type { WorkingCalendar } from '../calendar/calendar';
import type { Clock } from '../clock/clock';
import type { AlertPublisher, AlertStore } from '../push/ports';
import type { MaterialStorage, RepairIds, RepairRecordReader, RepairStore, RepairWatchReader } from './ports';
import type { RepairConfig } from './rules';

/** Everything the repair use cases need, passed in by the composition root (functions/api). */
export interface RepairDependencies {
  readonly store: RepairStore;
  readonly records: RepairRecordReader;
  readonly materials: MaterialStorage;
  readonly watchers: RepairWatchReader;
  /** Alerts to watchers (the same store and outbox as push). */
  readonly alerts: AlertStore;
  /** The platform bus: credit.repair.decided and credit.repaired. */
  readonly publisher: AlertPublisher;
  /** The official working-day calendar (stored years over the package data). */
  calendar(): Promise<WorkingCalendar>;
  readonly clock: Clock;
  readonly ids: RepairIds;
  /** config/repair.json unless a test passes its own. */
  readonly config?: RepairConfig;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function randomCode(length: number): string {
  return [...randomBytes(length)].map((byte) => CROCKFORD[byte % 32]).join('');
}

/** Application numbers `XF<yyyymmdd><8 random characters>`, 192-bit secrets, random material ids. */
export const randomRepairIds: RepairIds = {
  applicationNo: (applicationDate) => `XF${applicationDate.replace(/-/g, '')}${randomCode(8)}`,
  secret: () => randomBytes(24).toString('base64url'),
  materialId: () => `mat-${randomCode(12).toLowerCase()}`,
};

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
