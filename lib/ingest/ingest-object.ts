import type { CreditStore } from '../aws/credit-store';
import type { MatchQueue } from '../aws/match-queue';
import type { ObjectStore } from '../aws/object-store';
import { toShanghaiDate } from '../calendar/working-days';
import { isDatasetId, schemaFor } from '../datasets';
import type { SubjectChangedMessage } from '../matching/messages';
import { itemsForRow, shortHash } from '../store/items';
import { referenceSubmissionRefusal } from '../reference/submission';
import { ingestCsv } from './ingest-file';
import { parseIncomingKey } from './object-key';
import { type IngestionOutcome, type IngestionReport, rejectedFile } from './report';

export interface IngestDependencies {
  readonly store: CreditStore;
  readonly objects: ObjectStore;
  readonly matchQueue: MatchQueue;
  readonly allowList?: ReadonlySet<string>;
  readonly now?: () => Date;
}

export interface ObjectCreated {
  readonly bucket: string;
  /** Decoded object key. */
  readonly key: string;
  readonly versionId?: string;
  readonly eTag?: string;
  readonly size?: number;
  /** The S3 event time: when the agency's file arrived. */
  readonly eventTime: string;
}

export type IngestResult =
  | { readonly status: 'ingested'; readonly report: IngestionReport }
  | { readonly status: 'duplicate-delivery'; readonly jobId: string };

/** The job id is derived from the object version, so every redelivery of one upload maps to one job. */
export function jobIdFor(object: ObjectCreated): string {
  return `job-${shortHash(`${object.bucket}/${object.key}#${object.versionId ?? object.eTag ?? ''}`)}`;
}

/**
 * Ingests one uploaded object end to end: claims the job, streams rows into the store, enqueues
 * re-screening of changed subjects and writes the result report. Safe to run again for the same
 * object: a completed job is skipped and a half-done one re-applies the same deterministic items.
 */
export async function ingestObject(deps: IngestDependencies, object: ObjectCreated): Promise<IngestResult> {
  const now = deps.now ?? (() => new Date());
  const jobId = jobIdFor(object);
  const parsed = parseIncomingKey(object.key);
  const startedAt = now().toISOString();
  const receivedAt = new Date(object.eventTime).toISOString();
  const receivedDate = toShanghaiDate(new Date(receivedAt));
  const agencyCode = parsed.ok ? parsed.agencyCode : '_unknown';
  const dataset = parsed.ok ? parsed.dataset : '_unknown';

  const begin = await deps.store.beginJob({
    jobId,
    agencyCode,
    dataset,
    sourceKey: object.key,
    ...(object.versionId ? { versionId: object.versionId } : {}),
    ...(object.eTag ? { eTag: object.eTag } : {}),
    receivedAt,
    startedAt,
  });
  if (begin === 'already-completed') return { status: 'duplicate-delivery', jobId };

  let outcome: IngestionOutcome;
  const agency = parsed.ok ? await deps.store.getAgency(parsed.agencyCode) : undefined;
  if (!parsed.ok) outcome = rejectedFile('KEY_OUTSIDE_CONVENTION', parsed.reason);
  else if (!agency) outcome = rejectedFile('UNKNOWN_AGENCY', `agency ${parsed.agencyCode} is not registered`);
  else if (!isDatasetId(parsed.dataset))
    outcome = rejectedFile('UNKNOWN_DATASET', `dataset "${parsed.dataset}" is not one the platform ingests`);
  else if (referenceSubmissionRefusal(parsed.dataset, agency)) {
    const refusal = referenceSubmissionRefusal(parsed.dataset, agency)!;
    outcome = rejectedFile(refusal.code, refusal.reason);
  }
  else {
    const { body } = await deps.objects.open(object.key, object.versionId);
    const provenance = { agencyCode: agency.code, jobId, sourceKey: object.key, receivedAt, receivedDate };
    outcome = await ingestCsv({
      schema: schemaFor(parsed.dataset),
      body,
      context: {
        agency,
        today: toShanghaiDate(now()),
        ...(deps.allowList ? { allowList: deps.allowList } : {}),
      },
      receivedDate,
      sink: {
        write: async (rows) => {
          await deps.store.putItems(rows.flatMap((row) => itemsForRow(row, provenance)));
          // Reference rows (issue 4) have no subject and re-screen nothing.
          const subjects = [
            ...new Set(rows.flatMap((row) => ('subject' in row.record ? [row.record.subject.key] : []))),
          ];
          const messages: SubjectChangedMessage[] = subjects.map((subjectKey) => ({
            kind: 'subject-changed',
            subjectKey,
            cause: rows[0]!.record.dataset === 'list-entry' ? 'list-entry' : 'record',
            sourceKey: object.key,
          }));
          await deps.matchQueue.send(messages);
        },
      },
    });
  }

  const report: IngestionReport = {
    reportVersion: 1,
    jobId,
    agencyCode,
    dataset,
    source: {
      bucket: object.bucket,
      key: object.key,
      ...(object.versionId ? { versionId: object.versionId } : {}),
      ...(object.eTag ? { eTag: object.eTag } : {}),
      ...(object.size !== undefined ? { size: object.size } : {}),
    },
    receivedAt,
    startedAt,
    finishedAt: now().toISOString(),
    ...outcome,
  };
  // The report is written before the job is marked complete: a crash in between re-runs the
  // (idempotent) file rather than leaving a completed job without its report.
  await deps.objects.putJson(parsed.reportKey, report);
  await deps.store.finishJob(jobId, {
    status: outcome.status,
    finishedAt: report.finishedAt,
    reportKey: parsed.reportKey,
    counts: outcome.counts,
  });
  return { status: 'ingested', report };
}
