import { describe, expect, it } from 'vitest';
import type { PersonalDataAccess } from '#lib/audit/types';
import type { Caller } from '#lib/check/types';
import { fixedClock } from '#lib/clock/clock';
import { listAlerts, listWatches } from '#lib/push/listings';
import type { AgencyListing, ListingPage } from '#lib/push/ports';
import { codes } from '#test/support/csv-fixtures';
import { referencer } from '../check/fixtures';

const clock = fixedClock('2026-11-24T02:00:00Z');
const officer: Caller = { agencyCode: 'SCJG', keyId: 'k-officer', roles: ['case-officer'] };
const personKey = `ID#${codes.personId}`;
const companyKey = `USCC#${codes.companyUscc}`;

/** An agency's listing in memory: items as the push store keeps them (with their raw subject key). */
class MemoryListing implements AgencyListing {
  constructor(private readonly items: Record<'ALERT' | 'WATCH', Record<string, unknown>[]>) {}
  async listForAgency(_agency: string, kind: 'ALERT' | 'WATCH'): Promise<ListingPage> {
    return { items: this.items[kind] };
  }
}

class MemoryAudit {
  readonly accesses: PersonalDataAccess[] = [];
  async logPersonalDataAccess(entries: readonly PersonalDataAccess[]) {
    this.accesses.push(...entries);
  }
}

const watch = (subjectKey: string, watchId: string, subject: Record<string, unknown>) => ({
  type: 'watch',
  status: 'open',
  watchId,
  agencyCode: 'SCJG',
  subjectKey,
  caseRef: watchId,
  openedAt: '2026-11-20T02:00:00.000Z',
  openedBy: 'request',
  subject,
});

const alert = (subjectKey: string, alertId: string, subject: Record<string, unknown>) => ({
  type: 'alert',
  alertId,
  agencyCode: 'SCJG',
  watchId: 'w1',
  subjectKey,
  subject,
  hit: { entryId: 'e1', listTypeCode: 'HMD-SW-ZDSSWF' },
  change: 'hit-started',
  date: '2026-11-24',
  createdAt: '2026-11-24T01:00:00.000Z',
});

const maskedPerson = { key: 'ID#4407021975****4129', kind: 'person', name: '王**' };
const company = { key: companyKey, kind: 'organisation', name: '江门市鸿运建材有限公司' };

describe('Function: listWatches / listAlerts', () => {
  it('logs one read per person a page shows, with the person’s reference, and none for organisations', async () => {
    // Prepare: two watches and two alerts of one person, one watch of a company, one of a person with no data yet
    const listing = new MemoryListing({
      WATCH: [
        watch(personKey, 'w1', maskedPerson),
        watch(personKey, 'w2', maskedPerson),
        watch(companyKey, 'w3', company),
        watch(`ID#${codes.legalRepId}`, 'w4', { key: 'ID#4407031980****231X' }),
      ],
      ALERT: [alert(personKey, 'a1', maskedPerson), alert(companyKey, 'a2', company)],
    });
    const audit = new MemoryAudit();
    const deps = { listing, audit, referencer, clock };
    // Act
    const watches = await listWatches(deps, officer, { limit: 20 });
    const alerts = await listAlerts(deps, officer, { limit: 20 });
    // Assess
    expect(watches.items).toHaveLength(4);
    expect(alerts.items).toHaveLength(2);
    expect(audit.accesses.map((a) => [a.action, a.subject, a.subjectRef])).toEqual([
      ['read-watches', '4407021975****4129', await referencer.reference(personKey)],
      ['read-watches', '4407031980****231X', await referencer.reference(`ID#${codes.legalRepId}`)],
      ['read-alerts', '4407021975****4129', await referencer.reference(personKey)],
    ]);
    expect(audit.accesses[0]).toMatchObject({
      at: '2026-11-24T02:00:00.000Z',
      agencyCode: 'SCJG',
      keyId: 'k-officer',
      purpose: null,
      fullView: false,
    });
  });

  it('logs nothing for an empty page', async () => {
    const audit = new MemoryAudit();
    await listAlerts(
      { listing: new MemoryListing({ WATCH: [], ALERT: [] }), audit, referencer, clock },
      officer,
      {
        limit: 20,
      },
    );
    expect(audit.accesses).toEqual([]);
  });
});
