/** The deadlines run's per-agency notices on the platform bus (the CDK rule matches these). */
export const deadlineEvents = {
  source: 'joint-credit.deadlines',
  detailType: 'credit.deadlines.overdue',
} as const;
