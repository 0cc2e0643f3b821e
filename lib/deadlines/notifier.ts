import type { AgencyNotifier } from './ports';
import type { AgencyDeadlineNotice } from './types';

/** Keeps the notices (no bus configured, tests): the report still lists every item. */
export class RecordingNotifier implements AgencyNotifier {
  readonly sent: AgencyDeadlineNotice[] = [];
  async notify(notices: readonly AgencyDeadlineNotice[]): Promise<void> {
    this.sent.push(...notices);
  }
}
