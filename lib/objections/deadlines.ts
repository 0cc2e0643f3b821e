import { addCalendarDays } from '../calendar/calendar';
import type { WorkflowDeadlineSource } from '../deadlines/ports';
import type { DeadlineItem } from '../deadlines/types';
import type { OpenObjectionReader } from './ports';
import type { Objection } from './types';
import { currentDueDate } from './workflow';

/**
 * Open objections whose current step is past its limit, as items of the daily deadlines report:
 * acceptance and the platform check are the credit office's, the 协查 answer the source agency's.
 */

const STEPS: Record<string, string> = {
  SUBMITTED: 'acceptance (受理)',
  PLATFORM_CHECK: 'platform check (平台核查)',
  FORWARDED_TO_SOURCE: 'source agency answer (协查答复)',
};

function itemOf(objection: Objection, dueDate: string, creditOffice: string): DeadlineItem {
  const bySource = objection.status === 'FORWARDED_TO_SOURCE';
  return {
    type: 'objection-overdue',
    agencyCode: bySource ? objection.sourceAgency : creditOffice,
    reference: objection.objectionId,
    dueDate,
    detail: `${STEPS[objection.status] ?? objection.status} due ${dueDate}; received ${objection.receivedOn}, record ${objection.recordRef.dataset}/${objection.recordRef.recordId}`,
  };
}

/** The credit office's steps are reported under `creditOffice` (the registry's credit-office agency). */
export function objectionDeadlines(
  reader: OpenObjectionReader,
  creditOffice: string,
): WorkflowDeadlineSource {
  return {
    async overdueOn(date) {
      // Overdue on `date`: the last day allowed was before it.
      const open = await reader.openObjectionsDueBy(addCalendarDays(date, -1));
      return open.flatMap((objection) => {
        const due = currentDueDate(objection);
        return due && due < date ? [itemOf(objection, due, creditOffice)] : [];
      });
    },
  };
}
