import { isReferenceDatasetId, REFERENCE_SUBMITTER_ROLE } from '../datasets/reference';

/**
 * Reference data (list types, memoranda, measures, matters) and the calendar are kept by the credit office: a file in
 * one of those folders is accepted only from an agency whose profile carries the credit-office role.
 * Returns the file-level refusal for the report, or undefined when the file may be ingested.
 */
export function referenceSubmissionRefusal(
  dataset: string,
  agency: { readonly code: string; readonly roles?: readonly string[] | undefined },
): { readonly code: 'REFERENCE_DATA_CREDIT_OFFICE_ONLY'; readonly reason: string } | undefined {
  // The working-day calendar is office data too: it moves every agency's deadlines.
  if (!isReferenceDatasetId(dataset) && dataset !== 'calendar') return undefined;
  if (agency.roles?.includes(REFERENCE_SUBMITTER_ROLE)) return undefined;
  return {
    code: 'REFERENCE_DATA_CREDIT_OFFICE_ONLY',
    reason: `dataset "${dataset}" is reference data kept by the credit office; agency ${agency.code} does not have the ${REFERENCE_SUBMITTER_ROLE} role`,
  };
}
