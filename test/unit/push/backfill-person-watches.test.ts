import { describe, expect, it } from 'vitest';
import { fixedClock } from '#lib/clock/clock';
import { backfillPersonWatchSegment } from '#lib/push/backfill-person-watches';
import type { PersonWatchIndex, PersonWatchPage, StoredPersonWatch } from '#lib/push/ports';
import type { WatchRecord } from '#lib/push/types';
import { codes } from '#test/support/csv-fixtures';
import { entry, MemoryStore, person } from '../check/fixtures';

const clock = fixedClock('2026-11-24T02:00:00Z');
const unnamedId = '440702197501104129';

type Watch = Omit<StoredPersonWatch, 'indexed'>;

function watch(caseRef: string, overrides: Partial<Watch> = {}): Watch {
  return {
    type: 'watch',
    status: 'open',
    watchId: `wch-${caseRef}`,
    agencyCode: 'SCJG',
    subjectKey: person.key,
    caseRef,
    openedAt: '2026-01-05T02:00:00.000Z',
    openedBy: 'check',
    subject: { key: 'ID#4407021975****4129', kind: 'person', name: '王**' },
    ...overrides,
  };
}

/** The stored watches and their index items, paged as the table's segmented scan pages them. */
class MemoryIndex implements PersonWatchIndex {
  readonly index = new Map<string, WatchRecord>();
  readonly pages: number[] = [];

  constructor(private readonly watches: readonly Watch[]) {}

  private keyOf(w: { agencyCode: string; watchId: string; subjectKey: string }) {
    return `${w.subjectKey}|${w.agencyCode}|${w.watchId}`;
  }

  async personWatchPage(options: {
    segment: number;
    segments: number;
    pageSize: number;
    from?: string;
  }): Promise<PersonWatchPage> {
    const inSegment = this.watches.filter((_, i) => i % options.segments === options.segment);
    const first = Number(options.from ?? 0);
    const page = inSegment.slice(first, first + options.pageSize);
    this.pages.push(options.segment);
    const last = first + options.pageSize >= inSegment.length;
    return {
      scanned: page.length,
      watches: page.map((w) => ({ ...w, indexed: this.index.has(this.keyOf(w)) })),
      next: last ? null : String(first + options.pageSize),
    };
  }

  async indexPersonWatch(record: WatchRecord): Promise<boolean> {
    if (this.index.has(this.keyOf(record))) return false;
    this.index.set(this.keyOf(record), record);
    return true;
  }

  names() {
    return [...this.index.values()].map((w) => [w.caseRef, w.personName]);
  }
}

function deps(index: MemoryIndex) {
  const subjects = new MemoryStore().addEntry('e1', entry({ subject: person }));
  return { index, subjects, tallies: subjects, clock };
}

describe('Function: backfillPersonWatchSegment', () => {
  it('indexes an open person watch under the name the platform knows, and nothing on a second run', async () => {
    // Prepare
    const index = new MemoryIndex([watch('JM-1'), watch('JM-2', { until: '2026-11-24' })]);
    // Act
    const first = await backfillPersonWatchSegment(deps(index), { segment: 0, segments: 1, pageSize: 1 });
    const again = await backfillPersonWatchSegment(deps(index), { segment: 0, segments: 1, pageSize: 500 });
    // Assess
    expect(first).toEqual({
      scanned: 2,
      watches: 2,
      indexed: 2,
      alreadyIndexed: 0,
      skippedClosed: 0,
      skippedNoName: 0,
    });
    expect(index.names()).toEqual([
      ['JM-1', '王小明'],
      ['JM-2', '王小明'],
    ]);
    expect([...index.index.values()][1]).toMatchObject({ status: 'open', until: '2026-11-24' });
    expect(again).toMatchObject({ watches: 2, indexed: 0, alreadyIndexed: 2 });
  });

  it('skips closed and expired watches and persons with no known name, counting each', async () => {
    // Prepare
    const index = new MemoryIndex([
      watch('CLOSED', { status: 'closed' }),
      watch('EXPIRED', { until: '2026-11-23' }),
      watch('NONAME', { subjectKey: `ID#${unnamedId}` }),
    ]);
    // Act
    const counts = await backfillPersonWatchSegment(deps(index), { segment: 0, segments: 1, pageSize: 500 });
    // Assess
    expect(counts).toMatchObject({ watches: 3, indexed: 0, skippedClosed: 2, skippedNoName: 1 });
    expect(index.index.size).toBe(0);
  });

  it('never replaces an index item written meanwhile, with the name an agency gave', async () => {
    // Prepare: the watch is found unindexed, then reopened with a name before the backfill writes
    const index = new MemoryIndex([watch('JM-1')]);
    const given = { ...watch('JM-1'), status: 'open' as const, personName: '王晓明' };
    const racing: PersonWatchIndex = {
      personWatchPage: (options) => index.personWatchPage(options),
      indexPersonWatch: async (record) => {
        await index.indexPersonWatch(given);
        return index.indexPersonWatch(record);
      },
    };
    // Act
    const counts = await backfillPersonWatchSegment(
      { ...deps(index), index: racing },
      { segment: 0, segments: 1, pageSize: 500 },
    );
    // Assess
    expect(counts).toMatchObject({ indexed: 0, alreadyIndexed: 1 });
    expect(index.names()).toEqual([['JM-1', '王晓明']]);
  });

  it('reads only its own segment of the scan', async () => {
    // Prepare
    const watches = [
      watch('A'),
      watch('B'),
      watch('C'),
      watch('D', { subjectKey: `ID#${codes.legalRepId}` }),
    ];
    const index = new MemoryIndex(watches);
    // Act
    const second = await backfillPersonWatchSegment(deps(index), { segment: 1, segments: 2, pageSize: 1 });
    // Assess
    expect(second).toMatchObject({ watches: 2, indexed: 1, skippedNoName: 1 });
    expect(index.names()).toEqual([['B', '王小明']]);
    expect(index.pages).toEqual([1, 1]);
  });
});
