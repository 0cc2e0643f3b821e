/**
 * Corrections made by upheld objections (异议, CORRECTED / CORRECTED_BY_PLATFORM), as they stand on
 * a current record item, and how a re-submission of the record meets them. A correction holds
 * against the source re-sending the value that was found wrong; a genuinely new value from the
 * source is a new version and replaces it.
 */

/** One field an objection corrected, kept on the current record item beside the record. */
export interface FieldCorrection {
  /** The objection that corrected it last. */
  readonly objectionId: string;
  /** The value the source delivered before any correction: the value found wrong. */
  readonly sourceValue: unknown;
  /** The corrected value the record holds. */
  readonly value: unknown;
  readonly correctedAt: string;
}

/** The corrections in force on a record, by the record's field key. */
export type FieldCorrections = Readonly<Record<string, FieldCorrection>>;

/** A corrected field a re-submission left as corrected, because the source sent the wrong value again. */
export interface KeptCorrection {
  readonly field: string;
  readonly objectionId: string;
}

/** What a re-submission stores: the record to keep current, the corrections still in force, the fields kept. */
export interface ReconciledRecord {
  readonly record: Readonly<Record<string, unknown>>;
  /** Undefined when no correction is left in force. */
  readonly corrections: FieldCorrections | undefined;
  readonly kept: readonly KeptCorrection[];
}

/** Absent and null are the same value: a field the source left empty. */
function sameValue(a: unknown, b: unknown): boolean {
  return (a ?? null) === (b ?? null);
}

/**
 * The corrections after `field` is corrected to `value` by `objectionId`. A field corrected before
 * keeps the value its source delivered (the value first found wrong), not the earlier correction.
 */
export function withCorrection(
  corrections: FieldCorrections | undefined,
  field: string,
  correction: FieldCorrection,
): FieldCorrections {
  const earlier = corrections?.[field];
  return {
    ...corrections,
    [field]: earlier ? { ...correction, sourceValue: earlier.sourceValue } : correction,
  };
}

/**
 * How a re-submitted record meets the corrections in force, field by field:
 * - the source sends the value found wrong again → the corrected value stays (and is reported);
 * - the source sends the corrected value → it has carried the correction; the correction stays;
 * - the source sends another value → a new version: it applies and the correction ends.
 */
export function reconcileWithCorrections(
  incoming: Readonly<Record<string, unknown>>,
  corrections: FieldCorrections | undefined,
): ReconciledRecord {
  if (!corrections) return { record: incoming, corrections: undefined, kept: [] };
  const record: Record<string, unknown> = { ...incoming };
  const inForce: Record<string, FieldCorrection> = {};
  const kept: KeptCorrection[] = [];
  for (const [field, correction] of Object.entries(corrections)) {
    if (sameValue(incoming[field], correction.value)) {
      inForce[field] = correction;
    } else if (sameValue(incoming[field], correction.sourceValue)) {
      record[field] = correction.value;
      kept.push({ field, objectionId: correction.objectionId });
      inForce[field] = correction;
    }
  }
  return {
    record,
    corrections: Object.keys(inForce).length > 0 ? inForce : undefined,
    kept,
  };
}
