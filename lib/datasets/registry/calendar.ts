import { calendarSchema } from '../calendar';

/** The official working-day calendar, extended yearly by the credit office. */
export const calendarDatasets = {
  calendar: calendarSchema,
} as const;
