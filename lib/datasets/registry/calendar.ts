/** The official working-day calendar, extended yearly by the credit office. */
export const calendarDatasets = {} as const;
