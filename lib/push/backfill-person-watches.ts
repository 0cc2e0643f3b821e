import type { RecordTallies, SubjectReader } from '../check/ports';
import type { Clock } from '../clock/clock';
import { subjectIdentity } from './open-watch';
import type { PersonWatchIndex, StoredPersonWatch } from './ports';
import { watchedPersonName, watchStatus } from './watches';

/**
 * The masked-ID index backfill: open person watches opened before the index existed get their
 * index item, under the name the platform knows for the person (as a watch opened by code only
 * would get today). Idempotent: an index item is only ever added where none exists, so a name an
 * agency gave meanwhile is kept, and a second run indexes nothing.
 */

export interface PersonWatchBackfillDependencies {
  readonly index: PersonWatchIndex;
  readonly subjects: SubjectReader;
  readonly tallies: RecordTallies;
  readonly clock: Clock;
}

/** What a run (or one segment of it) did with the person watches it found. */
export interface PersonWatchBackfillCounts {
  scanned: number;
  watches: number;
  indexed: number;
  alreadyIndexed: number;
  /** Closed, or open but past their until-date. */
  skippedClosed: number;
  /** The platform knows no name for the person (no list entry or record names them). */
  skippedNoName: number;
}

type Outcome = 'indexed' | 'alreadyIndexed' | 'skippedClosed' | 'skippedNoName';

export const emptyPersonWatchCounts = (): PersonWatchBackfillCounts => ({
  scanned: 0,
  watches: 0,
  indexed: 0,
  alreadyIndexed: 0,
  skippedClosed: 0,
  skippedNoName: 0,
});

// A bounded number of watches in flight: each costs a few reads and at most one write.
const watchesInFlight = 8;

async function backfillWatch(
  deps: PersonWatchBackfillDependencies,
  stored: StoredPersonWatch,
  today: string,
): Promise<Outcome> {
  if (watchStatus({ ...stored }, today) !== 'open') return 'skippedClosed';
  if (stored.indexed) return 'alreadyIndexed';
  const identity = await subjectIdentity(deps, stored.subjectKey, today);
  const personName = watchedPersonName(stored.subjectKey, undefined, identity);
  if (personName === undefined) return 'skippedNoName';
  const { indexed: _found, status: _open, ...watch } = stored;
  const written = await deps.index.indexPersonWatch({ ...watch, status: 'open', personName });
  return written ? 'indexed' : 'alreadyIndexed';
}

/** Backfills one scan segment, page by page, adding what it did to `counts`. */
export async function backfillPersonWatchSegment(
  deps: PersonWatchBackfillDependencies,
  options: { readonly segment: number; readonly segments: number; readonly pageSize: number },
  counts: PersonWatchBackfillCounts = emptyPersonWatchCounts(),
): Promise<PersonWatchBackfillCounts> {
  const today = deps.clock.today();
  let from: string | undefined;
  do {
    const page = await deps.index.personWatchPage({ ...options, ...(from ? { from } : {}) });
    counts.scanned += page.scanned;
    counts.watches += page.watches.length;
    for (let i = 0; i < page.watches.length; i += watchesInFlight) {
      const outcomes = await Promise.all(
        page.watches.slice(i, i + watchesInFlight).map((watch) => backfillWatch(deps, watch, today)),
      );
      for (const outcome of outcomes) counts[outcome] += 1;
    }
    from = page.next ?? undefined;
  } while (from);
  return counts;
}
