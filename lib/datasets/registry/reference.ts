/** Reference data kept by the credit office: list types, memoranda, measures, matters. */
export const referenceDatasets = {} as const;
