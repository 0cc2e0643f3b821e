import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { CreditRecord, DatasetSchema, FieldSpec, RowContext, RowIssue } from '../datasets';
import { withRemovalFrom } from '../datasets/court-dishonest';
import { validateRow } from '../datasets/schema';
import type { DueDateResolver } from '../deadlines/due-dates';
import { publicationOfArrival } from '../disclosure/publication';
import { REPLACEMENT } from './decode';
import { type HeaderMapping, mapHeaders } from './headers';
import type { PriorArrivals, PriorRemovalStarts, RecordSink } from './ports';
import { FileFormatError, limits, openRowSource, type RowSource, sheetFromFileName } from './readers';
import type { SourceRow } from './readers/types';
import { emptyOutcome, type IngestionOutcome } from './report';
import { assessTimeliness, rejudgedOn } from './timeliness';
import { type AcceptedRow, lifecycleOf, type PublicationCount, type RejectedRow } from './types';

export type { PriorArrivals, RecordSink } from './ports';

export const publicationCountField = {
  'on-time': 'publishedOnTime',
  late: 'publishedLate',
  'pending-calendar': 'publishedPendingCalendar',
  'not-publishable': 'notPublishable',
} as const satisfies Record<PublicationCount, keyof IngestionOutcome['counts']>;

/** Start of a Shanghai calendar day as an ISO instant, for callers that give only the date. */
function shanghaiDayStart(date: string): string {
  return new Date(`${date}T00:00:00+08:00`).toISOString();
}

export type { AcceptedRow } from './types';

interface IngestCommon {
  readonly schema: DatasetSchema<CreditRecord>;
  readonly context: RowContext;
  /** The date (Asia/Shanghai) the file arrived: a record received after its due date is late. */
  readonly receivedDate: string;
  /** The instant the file arrived (the S3 event time); a record public at once is public from it. */
  readonly receivedAt?: string;
  readonly sink: RecordSink;
  readonly priorArrivals?: PriorArrivals;
  /** Court entries already stored as 全部履行: their removal clock keeps its first start. */
  readonly priorRemovalStarts?: PriorRemovalStarts;
  /** The calendar and deadline rules the late flag is judged by (default: package calendar, default rules). */
  readonly dueDates?: DueDateResolver;
  readonly batchSize?: number;
  /**
   * Every rejected row, as it is found (the single pass streams them into the rejected-rows CSV).
   * With it, the outcome keeps at most `listLimit` rejected, duplicate and flagged rows, so that
   * memory does not grow with the rows rejected.
   */
  readonly rejects?: (entry: RejectedRow) => Promise<void>;
  readonly listLimit?: number;
}

export interface IngestFileInput extends IngestCommon {
  readonly body: Readable;
  /** The object key or file name: `<name>@<sheet>.xlsx` selects a worksheet by name. */
  readonly fileName?: string;
  /** A worksheet to read instead of the first one (overrides the file-name convention). */
  readonly sheet?: string;
}

/** @deprecated the name predates other formats; ingestFile reads CSV, XLSX and JSON Lines alike. */
export type IngestCsvInput = IngestFileInput;

export interface IngestRowsInput extends IngestCommon {
  readonly source: RowSource;
}

/** The outcome plus what only a format-aware reader knows; serialised into the result report. */
export type IngestFileOutcome = IngestionOutcome & {
  format: string | null;
  /** Not fatal: e.g. columns the dataset does not know, which were ignored. */
  warnings: { code: string; reason: string }[];
  bytes?: number;
  /** Rows left out of each list at `listLimit` (the counts and the rejected-rows CSV have them all). */
  truncated?: { rejectedRows: number; duplicateRows: number; flaggedRows: number };
};

function keyDigest(businessKey: string): string {
  return createHash('sha1').update(businessKey).digest('base64');
}

function clip(value: string): string {
  const chars = [...value];
  return chars.length > limits.maxReportedValue
    ? `${chars.slice(0, limits.maxReportedValue).join('')}…(${chars.length} characters)`
    : value;
}

function describe(spec: FieldSpec): string {
  return spec.code ? `${spec.code} (${spec.nameZh})` : spec.nameZh;
}

/** The warning for columns (JSON Lines: keys) the dataset does not know; chunk assembly rebuilds it. */
export function unknownColumnsWarning(dataset: string, unknown: readonly string[]) {
  return {
    code: 'UNKNOWN_COLUMNS',
    reason: `columns not in dataset ${dataset} were ignored: ${unknown.join(', ')}`,
  };
}

/** The file error for error rows (records that could not be read); chunk assembly sums the counts. */
export function unreadableRecordsError(unreadable: number) {
  return {
    code: 'UNREADABLE_RECORDS',
    reason: `${unreadable} record(s) could not be read (see rejectedRows); the other rows were processed`,
  };
}

/**
 * A whole file (not one chunk of it) of which no row was accepted stored nothing: it is `rejected`,
 * with a file-level error saying so, as the jobs API and the upload command's exit code show it.
 * A file that could not be read at all is already rejected with its own reason.
 */
export function rejectIfNoRowAccepted<T extends IngestionOutcome>(outcome: T): T {
  if (outcome.status !== 'completed' || outcome.counts.rows === 0 || outcome.counts.accepted > 0)
    return outcome;
  return {
    ...outcome,
    status: 'rejected',
    fileErrors: [
      ...outcome.fileErrors,
      {
        code: 'NO_ROWS_ACCEPTED',
        reason: `none of the ${outcome.counts.rows} row(s) was accepted (see rejectedRows and the rejected-rows CSV); nothing was stored`,
      },
    ],
  };
}

/**
 * Ingests any supported file (CSV UTF-8/GB18030, XLSX, JSON Lines), the format detected from the
 * bytes. Every format goes through the same header mapping, validation, duplicate detection and sink.
 */
export async function ingestFile(input: IngestFileInput): Promise<IngestFileOutcome> {
  const sheet = input.sheet ?? (input.fileName ? sheetFromFileName(input.fileName) : undefined);
  let source: Awaited<ReturnType<typeof openRowSource>>;
  try {
    source = await openRowSource(input.body, { sheet });
  } catch (error) {
    if (error instanceof FileFormatError) {
      return {
        ...emptyOutcome(),
        status: 'rejected',
        format: null,
        warnings: [],
        fileErrors: [{ code: error.code, reason: error.reason }],
      };
    }
    throw error;
  }
  const outcome = rejectIfNoRowAccepted(await ingestRows({ ...input, source }));
  return { ...outcome, bytes: source.bytes() };
}

/** Kept for callers written when CSV was the only format: same as ingestFile. */
export const ingestCsv = ingestFile;

/** A source row's cells by field key. */
type Cells = Record<string, string | undefined>;

/**
 * One pass of the format-agnostic core over a row source: the state it keeps (the header mapping,
 * the business keys seen, the batch being filled) and one method per kind of row.
 */
class RowIngestion {
  readonly outcome: IngestFileOutcome;
  readonly #input: IngestRowsInput;
  readonly #batchSize: number;
  readonly #unknownColumns = new Set<string>();
  readonly #objectMappings = new Map<string, HeaderMapping>();
  readonly #seen = new Map<string, number>();
  /** Accepted records, kept only for a schema with whole-file rules (small reference datasets). */
  readonly #acceptedValues: CreditRecord[] = [];
  #mapping: HeaderMapping | null = null;
  #batch: AcceptedRow[] = [];
  #unreadable = 0;
  readonly #limit: number;
  readonly #cut = { rejectedRows: 0, duplicateRows: 0, flaggedRows: 0 };
  /** Rejected rows found by the last row read, on their way to `rejects`. */
  #toStream: RejectedRow[] = [];

  constructor(input: IngestRowsInput) {
    this.#input = input;
    this.#batchSize = input.batchSize ?? 100;
    this.#limit = input.rejects ? (input.listLimit ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY;
    this.outcome = { ...emptyOutcome(), format: input.source.format, warnings: [] };
  }

  /** Reads every row; a file that cannot be read further keeps what was stored before the damage. */
  async run(): Promise<IngestFileOutcome> {
    let lastRow = 0;
    try {
      for await (const item of this.#input.source.rows) {
        lastRow = item.row;
        const next = this.#take(item);
        await this.#streamRejects();
        if (next === 'stop') break;
        if (this.#batch.length >= this.#batchSize) await this.#flush();
      }
      await this.#flush();
    } catch (error) {
      if (!(error instanceof FileFormatError)) throw error;
      await this.#streamRejects();
      await this.#flush();
      this.#fileError(
        error.code,
        lastRow > 0 ? `the file could not be read past row ${lastRow}: ${error.reason}` : error.reason,
      );
      this.outcome.status = this.outcome.counts.accepted > 0 ? 'partial' : 'rejected';
    }
    return this.#conclude();
  }

  #take(item: SourceRow): 'stop' | 'next' {
    if (item.kind === 'error') return this.#errorRow(item);
    if (item.kind === 'cells') return this.#mapping === null ? this.#header(item) : this.#cellsRow(item);
    return this.#objectRow(item);
  }

  #reject(row: number, issues: RowIssue[]): 'next' {
    this.outcome.counts.rejected += 1;
    const entry = { row, issues: issues.map((issue) => ({ ...issue, value: clip(issue.value) })) };
    if (this.#input.rejects) this.#toStream.push(entry);
    this.#keep('rejectedRows', entry);
    return 'next';
  }

  /** A list entry, kept in the outcome up to the limit; beyond it only counted. */
  #keep<K extends 'rejectedRows' | 'duplicateRows' | 'flaggedRows'>(
    list: K,
    entry: IngestFileOutcome[K][number],
  ): void {
    const kept = this.outcome[list] as IngestFileOutcome[K][number][];
    if (kept.length < this.#limit) kept.push(entry);
    else this.#cut[list] += 1;
  }

  async #streamRejects(): Promise<void> {
    if (this.#toStream.length === 0 || !this.#input.rejects) return;
    const entries = this.#toStream;
    this.#toStream = [];
    for (const entry of entries) await this.#input.rejects(entry);
  }

  #fileError(code: string, reason: string): void {
    this.outcome.fileErrors.push({ code, reason });
  }

  #fileRejected(code: string, reason: string): 'stop' {
    this.#fileError(code, reason);
    this.outcome.status = 'rejected';
    return 'stop';
  }

  #errorRow(item: Extract<SourceRow, { kind: 'error' }>): 'stop' | 'next' {
    // Without a readable header no row can be mapped.
    if (this.#mapping === null && this.#input.source.format !== 'jsonl')
      return this.#fileRejected(
        item.code,
        `the header row (row ${item.row}) could not be read: ${item.reason}`,
      );
    this.#unreadable += 1;
    this.outcome.counts.rows += 1;
    return this.#reject(item.row, [{ field: '(record)', value: '', code: item.code, reason: item.reason }]);
  }

  #header(item: Extract<SourceRow, { kind: 'cells' }>): 'stop' | 'next' {
    if (item.cells.length > limits.maxColumns)
      return this.#fileRejected(
        'TOO_MANY_COLUMNS',
        `the header row has ${item.cells.length} columns; at most ${limits.maxColumns} allowed`,
      );
    const mapping = mapHeaders(item.cells, this.#input.schema.fields);
    this.#mapping = mapping;
    this.outcome.columns = { recognised: mapping.recognised, unknown: mapping.unknown };
    if (mapping.recognised.length === 0)
      return this.#fileRejected(
        'NO_HEADER',
        `row ${item.row} has no recognised column header for dataset ${this.#input.schema.id}; expected field codes, Chinese names or English aliases (see docs/datasets.md)`,
      );
    if (mapping.missingRequired.length > 0)
      this.#fileError(
        'MISSING_COLUMNS',
        `required columns missing: ${mapping.missingRequired.map(describe).join(', ')}`,
      );
    if (mapping.duplicated.length > 0)
      this.#fileError(
        'DUPLICATE_COLUMNS',
        `columns name the same field twice: ${mapping.duplicated.join(', ')}`,
      );
    if (mapping.missingRequired.length > 0 || mapping.duplicated.length > 0) {
      this.outcome.status = 'rejected';
      return 'stop';
    }
    return 'next';
  }

  #cellsRow(item: Extract<SourceRow, { kind: 'cells' }>): 'next' {
    if (item.cells.length > limits.maxColumns) {
      this.outcome.counts.rows += 1;
      return this.#reject(item.row, [
        {
          field: '(record)',
          value: '',
          code: 'TOO_MANY_COLUMNS',
          reason: `the row has ${item.cells.length} columns; at most ${limits.maxColumns} allowed`,
        },
      ]);
    }
    const cells: Cells = {};
    this.#mapping?.columnKeys.forEach((key, index) => {
      if (key !== null) cells[key] = item.cells[index];
    });
    this.#accept(item.row, cells);
    return 'next';
  }

  /** A JSON object: its keys are its header (one mapping per distinct key set). */
  #objectRow(item: Extract<SourceRow, { kind: 'object' }>): 'next' {
    const names = Object.keys(item.values);
    const signature = names.join('\u0000');
    let mapping = this.#objectMappings.get(signature);
    if (!mapping) {
      mapping = mapHeaders(names, this.#input.schema.fields);
      if (this.#objectMappings.size < 64) this.#objectMappings.set(signature, mapping);
      for (const name of mapping.unknown) if (this.#unknownColumns.size < 100) this.#unknownColumns.add(name);
    }
    if (mapping.duplicated.length > 0) {
      this.outcome.counts.rows += 1;
      return this.#reject(item.row, [
        {
          field: '(record)',
          value: mapping.duplicated.join(', '),
          code: 'DUPLICATE_COLUMNS',
          reason: `keys name the same field twice: ${mapping.duplicated.join(', ')}`,
        },
      ]);
    }
    const cells: Cells = {};
    mapping.columnKeys.forEach((key, index) => {
      if (key !== null) cells[key] = item.values[names[index]!];
    });
    this.#accept(item.row, cells);
    return 'next';
  }

  #encodingIssues(raw: Readonly<Cells>): RowIssue[] {
    const issues: RowIssue[] = [];
    for (const spec of this.#input.schema.fields) {
      const value = raw[spec.key];
      if (!value?.includes(REPLACEMENT)) continue;
      issues.push({
        field: spec.code ?? spec.nameZh,
        value,
        code: 'ENCODING',
        reason: `the cell contains bytes that are not valid ${this.outcome.encoding ?? 'text'} (shown as �)`,
      });
    }
    return issues;
  }

  /** Validates a row; a valid one not seen before in this file joins the batch. */
  #accept(row: number, raw: Readonly<Cells>): void {
    const { outcome } = this;
    outcome.counts.rows += 1;
    const encodingIssues = this.#encodingIssues(raw);
    if (encodingIssues.length > 0) {
      this.#reject(row, encodingIssues);
      return;
    }
    const result = validateRow(this.#input.schema, raw, this.#input.context);
    if (!result.ok) {
      this.#reject(row, result.issues);
      return;
    }
    const businessKey = this.#input.schema.businessKey(result.value);
    const digest = keyDigest(businessKey);
    const firstRow = this.#seen.get(digest);
    if (firstRow !== undefined) {
      outcome.counts.duplicate += 1;
      this.#keep('duplicateRows', { row, duplicateOf: firstRow });
      return;
    }
    this.#seen.set(digest, row);
    if (this.#input.schema.fileWarnings) this.#acceptedValues.push(result.value);
    const { context, receivedDate, dueDates } = this.#input;
    const timeliness = assessTimeliness(result.value, receivedDate, context.agency.code, dueDates);
    const flags = timeliness.problem ? [...result.flags, 'DUE_DATE_PENDING_CALENDAR'] : result.flags;
    if (flags.length > 0) this.#keep('flaggedRows', { row, flags });
    outcome.counts.accepted += 1;
    this.#batch.push({
      row,
      record: result.value,
      businessKey,
      dueDate: timeliness.dueDate,
      late: timeliness.late,
      ...(timeliness.timeliness ? { timeliness: timeliness.timeliness } : {}),
      ...(timeliness.pendingCalendarYear ? { pendingCalendarYear: timeliness.pendingCalendarYear } : {}),
      lifecycle: lifecycleOf(result.value),
    });
  }

  /** The row with its first publication (kept from an earlier arrival or made by this one), counted. */
  #published(row: AcceptedRow): AcceptedRow {
    const { receivedDate, receivedAt = shanghaiDayStart(receivedDate) } = this.#input;
    const { publication, count } = publicationOfArrival(row, { at: receivedAt, date: receivedDate });
    if (count) {
      const field = publicationCountField[count];
      this.outcome.counts[field] = (this.outcome.counts[field] ?? 0) + 1;
    }
    return { ...row, ...(publication ? { publication } : {}), ...(count ? { publicationCount: count } : {}) };
  }

  /** Court rows of 全部履行 already stored so: the removal deadline counts from the first arrival. */
  async #removalsFromFirstArrival(rows: AcceptedRow[]): Promise<AcceptedRow[]> {
    const { priorRemovalStarts, context } = this.#input;
    if (!priorRemovalStarts) return rows;
    if (!rows.some(({ record }) => record.dataset === 'court-dishonest' && record.removalFrom)) return rows;
    const starts = await priorRemovalStarts(rows);
    return rows.map((row) => {
      const from = starts.get(row.businessKey);
      if (!from || row.record.dataset !== 'court-dishonest') return row;
      return { ...row, record: withRemovalFrom(row.record, from, context.addWorkingDays) };
    });
  }

  /** Timeliness on first arrival (an earlier file may have carried the record), then into the sink. */
  async #flush(): Promise<void> {
    if (this.#batch.length === 0) return;
    let rows = this.#batch;
    this.#batch = [];
    const { priorArrivals } = this.#input;
    if (priorArrivals) {
      const prior = await priorArrivals(rows);
      rows = rows.map((row) => {
        const first = prior.get(row.businessKey);
        if (!first) return row;
        return { ...row, firstArrival: first, ...rejudgedOn(row, first.receivedDate) };
      });
    }
    rows = await this.#removalsFromFirstArrival(rows);
    rows = rows.map((row) => this.#published(row));
    for (const row of rows) {
      if (row.late) this.outcome.counts.late += 1;
      if (row.timeliness === 'pending-calendar')
        this.outcome.counts.pendingCalendar = (this.outcome.counts.pendingCalendar ?? 0) + 1;
    }
    await this.#input.sink.write(rows);
    this.outcome.appliedRows = {
      from: this.outcome.appliedRows?.from ?? rows[0]!.row,
      to: rows[rows.length - 1]!.row,
    };
  }

  /** File-level conclusions once every row is read: no rows, no header, unknown columns, unreadable rows. */
  #conclude(): IngestFileOutcome {
    const { outcome } = this;
    outcome.encoding = this.#input.source.encoding();
    if (this.#input.source.format === 'jsonl') {
      outcome.columns = { recognised: outcome.columns.recognised, unknown: [...this.#unknownColumns] };
      if (outcome.counts.rows === 0 && outcome.fileErrors.length === 0)
        this.#fileRejected('NO_ROWS', 'the file has no JSON object lines');
    } else if (this.#mapping === null && outcome.fileErrors.length === 0) {
      this.#fileRejected('NO_HEADER', 'the file has no header row');
    }
    if (outcome.columns.unknown.length > 0)
      outcome.warnings.push(unknownColumnsWarning(this.#input.schema.id, outcome.columns.unknown));
    outcome.warnings.push(...(this.#input.schema.fileWarnings?.(this.#acceptedValues) ?? []));
    if (this.#unreadable > 0 && outcome.status === 'completed') {
      outcome.status = outcome.counts.accepted > 0 ? 'partial' : 'rejected';
      outcome.fileErrors.push(unreadableRecordsError(this.#unreadable));
    }
    const cut = this.#cut;
    if (cut.rejectedRows + cut.duplicateRows + cut.flaggedRows > 0) outcome.truncated = { ...cut };
    return outcome;
  }
}

/**
 * The format-agnostic core: header mapping, row validation, in-file duplicates, timeliness on first
 * arrival, batching into the sink. Constant memory apart from the report and one digest per row.
 */
export function ingestRows(input: IngestRowsInput): Promise<IngestFileOutcome> {
  return new RowIngestion(input).run();
}
