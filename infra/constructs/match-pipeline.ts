import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { EventSourceMapping } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { env } from '#lib/platform/resources';
import type { StageSettings } from '../config';
import { CreditFunction } from './credit-function';
import type { CreditTable } from './credit-table';
import { WorkQueue } from './work-queue';

export interface MatchPipelineProps {
  readonly settings: StageSettings;
  readonly table: CreditTable;
  readonly alarmAction: IAlarmAction;
}

/**
 * Re-screening: ingestion and the deadlines job enqueue subjects whose list entries or records
 * changed; the match function consumes them in batches and records hits and alerts.
 */
export class MatchPipeline extends Construct {
  readonly queue: WorkQueue;
  readonly function: CreditFunction;
  readonly eventSourceMapping: EventSourceMapping;

  constructor(scope: Construct, id: string, props: MatchPipelineProps) {
    super(scope, id);
    const { settings, table, alarmAction } = props;

    this.queue = new WorkQueue(this, 'Queue', { name: 'match', settings, alarmAction });
    this.function = new CreditFunction(this, 'Function', {
      name: 'match',
      settings,
      environment: { [env.tableName]: table.table.tableName },
    });
    table.grantItems(this.function);
    this.eventSourceMapping = this.queue.addConsumer(this.function, settings.consumerMaxConcurrency.match);
  }
}
