import type { RepairDeadlineSource } from '../deadlines/ports';
import type { DeadlineItem } from '../deadlines/types';
import type { RepairStore } from './ports';
import { OPEN_STATUSES, type RepairCase } from './types';

/**
 * Overdue repair cases for the deadlines run: a due day is kept (nothing is overdue on it), the
 * day after it the case is overdue. An extension replaces the decision and reply due dates when later.
 */

function laterOf(due: string | undefined, extendedUntil: string | undefined): string | undefined {
  if (!due) return undefined;
  return extendedUntil && extendedUntil > due ? extendedUntil : due;
}

function item(
  repair: RepairCase,
  agencyCode: string,
  type: DeadlineItem['type'],
  dueDate: string,
  detail: string,
): DeadlineItem {
  return { type, agencyCode, reference: repair.applicationNo, dueDate, detail };
}

/** The overdue items of one case: to the credit office (intake) and, for a decision, the deciding agency. */
export function overdueItemsOf(repair: RepairCase, coveredDate: string): DeadlineItem[] {
  if (!OPEN_STATUSES.has(repair.status)) return [];
  const items: DeadlineItem[] = [];
  if (repair.status === 'SUBMITTED' && repair.acceptDueAt && coveredDate > repair.acceptDueAt) {
    items.push(
      item(
        repair,
        repair.intakeAgency,
        'repair-accept-overdue',
        repair.acceptDueAt,
        `submitted ${repair.submittedAt ?? ''}, not accepted or returned`,
      ),
    );
  }
  const decisionDue = laterOf(repair.authorityDecisionDueAt, repair.extendedUntil);
  const awaiting = repair.status === 'FORWARDED_TO_AUTHORITY' || repair.status === 'EXTENDED';
  if (awaiting && decisionDue && coveredDate > decisionDue) {
    const detail = `forwarded to ${repair.decidingAgency} ${repair.forwardedAt ?? ''}, no decision`;
    items.push(item(repair, repair.intakeAgency, 'repair-decision-overdue', decisionDue, detail));
    if (repair.decidingAgency !== repair.intakeAgency) {
      items.push(item(repair, repair.decidingAgency, 'repair-decision-overdue', decisionDue, detail));
    }
  }
  const replyDue = laterOf(repair.applicantReplyDueAt, repair.extendedUntil);
  if (replyDue && coveredDate > replyDue) {
    items.push(
      item(
        repair,
        repair.intakeAgency,
        'repair-reply-overdue',
        replyDue,
        `applied ${repair.applicationDate}, state ${repair.status}, applicant not answered`,
      ),
    );
  }
  return items;
}

/** The deadlines run's view of repair: every open case's overdue items on the covered day. */
export class RepairDeadlines implements RepairDeadlineSource {
  constructor(private readonly store: Pick<RepairStore, 'openCases'>) {}

  async overdueRepairItems(coveredDate: string): Promise<DeadlineItem[]> {
    return (await this.store.openCases()).flatMap((repair) => overdueItemsOf(repair, coveredDate));
  }
}
