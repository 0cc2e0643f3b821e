import { CreditStore } from '#lib/aws/credit-store';
import { PersonWatchBackfillStore, personWatchBackfillPageSize } from '#lib/aws/person-watch-backfill';
import { RecordTallyStore } from '#lib/aws/record-tally-store';
import type { Clock } from '#lib/clock/clock';
import {
  backfillPersonWatchSegment,
  emptyPersonWatchCounts,
  type PersonWatchBackfillCounts,
} from '#lib/push/backfill-person-watches';
import type { StackTarget } from './stack-target';

export interface PersonWatchBackfillOptions {
  /** Items a scan page reads (1 to 1000). */
  readonly pageSize: number;
  /** The table is scanned in this many segments, one after the other. */
  readonly segments: number;
  /** The segment a previous run printed: resume there (earlier segments are done). */
  readonly fromSegment?: number;
}

/** One segment's counts, as printed: counts only, never a person's ID or name. */
export function segmentLine(segment: number, segments: number, counts: PersonWatchBackfillCounts): string {
  const resume = segment + 1 < segments ? `; resume with --from-segment ${segment + 1}` : '';
  return `segment ${segment + 1}/${segments}: scanned ${counts.scanned}, person watches ${counts.watches}, indexed ${counts.indexed}, already indexed ${counts.alreadyIndexed}, skipped closed/expired ${counts.skippedClosed}, skipped no known name ${counts.skippedNoName}${resume}`;
}

/**
 * `admin watch backfill`: the masked-ID index items of open person watches opened before the index
 * existed, one scan segment after the other, printing each segment's counts and where to resume (a
 * segment number: a resume token would carry a person's key). A segment stopped midway is redone
 * on resume, at no harm: what it indexed is found indexed.
 */
export async function runPersonWatchBackfill(
  target: Pick<StackTarget, 'documentClient' | 'tableName'>,
  clock: Clock,
  options: PersonWatchBackfillOptions,
  print: (line: string) => void,
): Promise<PersonWatchBackfillCounts> {
  const { documentClient: client, tableName } = target;
  const deps = {
    index: new PersonWatchBackfillStore(client, tableName),
    subjects: new CreditStore(client, tableName),
    tallies: new RecordTallyStore(client, tableName),
    clock,
  };
  const totals = emptyPersonWatchCounts();
  for (let segment = options.fromSegment ?? 0; segment < options.segments; segment += 1) {
    const counts = await backfillPersonWatchSegment(deps, {
      segment,
      segments: options.segments,
      pageSize: options.pageSize,
    });
    for (const name of Object.keys(counts) as (keyof PersonWatchBackfillCounts)[])
      totals[name] += counts[name];
    print(segmentLine(segment, options.segments, counts));
  }
  return totals;
}

export const personWatchBackfillDefaults = {
  pageSize: personWatchBackfillPageSize.default,
  maxPageSize: personWatchBackfillPageSize.max,
  segments: 8,
} as const;
