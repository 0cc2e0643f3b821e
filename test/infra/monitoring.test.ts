import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DYNAMIC_TYPE_LABEL, thresholds } from '../../infra/constructs/monitoring';
import { functions, metrics, type QueueName, queues } from '../../lib/platform/resources';
import { joinedText, logicalId, ref, resourceOf, type Synthesized, synthesize } from './support';

interface Widget {
  readonly type: string;
  readonly properties: {
    readonly title?: string;
    readonly markdown?: string;
    readonly metrics?: unknown[][];
  };
}

const functionCount = Object.keys(functions).length;

describe('Construct: Monitoring', () => {
  let synth: Synthesized;
  let widgets: Widget[];

  beforeAll(() => {
    synth = synthesize('dev');
    const dashboard = resourceOf(
      synth.template,
      'AWS::CloudWatch::Dashboard',
      synth.stack.monitoring.dashboard,
    );
    widgets = JSON.parse(joinedText(dashboard.Properties.DashboardBody)).widgets;
  });

  const widget = (title: string): Widget => {
    const found = widgets.find((candidate) => candidate.properties.title === title);
    if (found === undefined) throw new Error(`No widget titled ${title}`);
    return found;
  };
  const alarms = () => Object.values(synth.template.findResources('AWS::CloudWatch::Alarm'));

  describe('Alarm topic', () => {
    it('is named after the stage', () => {
      synth.template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'joint-credit-dev-alarms' });
    });

    it('accepts publications over TLS only', () => {
      synth.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [ref(synth.stack.alarms.topic)],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });
  });

  describe('Dashboard', () => {
    it('exists once, named after the stage', () => {
      synth.template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
      synth.template.hasResourceProperties('AWS::CloudWatch::Dashboard', {
        DashboardName: 'joint-credit-dev-operations',
      });
    });

    it.each(['## Ingestion', '## Checks', '## Feedback', '## Deadlines', '## Queues', '## Lambda'])(
      'has the section %s',
      (markdown) => {
        expect(widgets.map((w) => w.properties.markdown)).toContain(markdown);
      },
    );

    it.each([
      'Alarms',
      'Ingest function: invocations and errors',
      'Ingest function: duration',
      'Ingested rows: accepted, rejected, late',
      'Ingest jobs failed',
      'Checks completed',
      'API requests and 4xx/5xx errors',
      'API latency p50/p99',
      'Check hit rate (%)',
      'Feedback: owed vs given (per day)',
      'Deadlines: overdue items by type',
      'Deadlines runs: late records, expiries, calendar gaps',
      'Queues: visible messages',
      'Queues: age of oldest message',
      'Dead-letter queues: depth',
      'Lambda: errors',
      'Lambda: throttles',
      'Lambda: duration p99',
      'Lambda: concurrent executions',
    ])('has the widget "%s"', (title) => {
      expect(widget(title)).toBeDefined();
    });

    it.each([
      ['Ingested rows: accepted, rejected, late', metrics.names.rowsAccepted],
      ['Ingested rows: accepted, rejected, late', metrics.names.rowsRejected],
      ['Ingested rows: accepted, rejected, late', metrics.names.rowsLate],
      ['Ingest jobs failed', metrics.names.jobsFailed],
      ['Checks completed', metrics.names.checksCompleted],
      ['Check hit rate (%)', metrics.names.checksCompleted],
      ['Check hit rate (%)', metrics.names.checksWithHits],
      ['Feedback: owed vs given (per day)', metrics.names.feedbackOwed],
      ['Feedback: owed vs given (per day)', metrics.names.feedbackGiven],
      ['Deadlines runs: late records, expiries, calendar gaps', metrics.names.deadlineRunsCompleted],
      ['Deadlines runs: late records, expiries, calendar gaps', metrics.names.calendarYearMissing],
    ])('graphs "%s" from the custom metric %s in the shared namespace', (title, metricName) => {
      expect(JSON.stringify(widget(title).properties.metrics)).toContain(
        `SEARCH('Namespace=\\"${metrics.namespace}\\" MetricName=\\"${metricName}\\"'`,
      );
    });

    it('graphs overdue deadline items with one line per type, and overdue feedback beside owed and given', () => {
      const byType = JSON.stringify(widget('Deadlines: overdue items by type').properties.metrics);
      expect(byType).toContain(
        `SEARCH('{${metrics.namespace},service,type} MetricName=\\"${metrics.names.deadlineItemsOverdue}\\"', 'Sum', 86400)`,
      );
      expect(byType).toContain(DYNAMIC_TYPE_LABEL);
      expect(JSON.stringify(widget('Feedback: owed vs given (per day)').properties.metrics)).toContain(
        'type=\\"feedback-overdue\\"',
      );
    });

    it('computes the check hit rate from checks with a hit over checks completed', () => {
      expect(JSON.stringify(widget('Check hit rate (%)').properties.metrics)).toContain(
        'IF(checks > 0, 100 * hits / checks, 0)',
      );
    });

    it('graphs ingest invocations and errors from AWS/Lambda', () => {
      const lines = JSON.stringify(widget('Ingest function: invocations and errors').properties.metrics);
      expect(lines).toContain('"AWS/Lambda","Invocations"');
      expect(lines).toContain('"AWS/Lambda","Errors"');
    });

    it('graphs API 4xx and 5xx', () => {
      const lines = JSON.stringify(widget('API requests and 4xx/5xx errors').properties.metrics);
      expect(lines).toContain('"4XXError"');
      expect(lines).toContain('"5XXError"');
    });

    it('graphs API latency at p50 and p99', () => {
      const lines = JSON.stringify(widget('API latency p50/p99').properties.metrics);
      expect(lines).toContain('"stat":"p50"');
      expect(lines).toContain('"stat":"p99"');
    });

    it.each(['Queues: visible messages', 'Queues: age of oldest message'])(
      'graphs "%s" for both queues',
      (title) => {
        expect(widget(title).properties.metrics).toHaveLength(2);
      },
    );

    it('graphs the depth of every dead-letter queue (two pipelines and the schedule)', () => {
      expect(widget('Dead-letter queues: depth').properties.metrics).toHaveLength(3);
    });

    it.each(['Lambda: errors', 'Lambda: throttles', 'Lambda: duration p99', 'Lambda: concurrent executions'])(
      'graphs "%s" with one line per function',
      (title) => {
        expect(widget(title).properties.metrics).toHaveLength(functionCount);
      },
    );
  });

  describe('Alarms', () => {
    it('publishes every alarm and its return to OK to the alarm topic', () => {
      for (const alarm of alarms()) {
        expect(alarm.Properties).toMatchObject({
          AlarmActions: [ref(synth.stack.alarms.topic)],
          OKActions: [ref(synth.stack.alarms.topic)],
        });
      }
    });

    it('has dead-letter alarms for each of the three dead-letter queues', () => {
      const deadLetter = alarms().filter(
        (alarm) => alarm.Properties.MetricName === 'ApproximateNumberOfMessagesVisible',
      );
      expect(deadLetter).toHaveLength(3);
    });

    it.each(Object.values(functions).map((fn) => [fn.id]))('has an error-rate alarm for %s', (id) => {
      synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `joint-credit-dev-${id}-error-rate`,
        Threshold: thresholds.functionErrorRatePercent,
        ComparisonOperator: 'GreaterThanThreshold',
        Metrics: Match.arrayWith([
          Match.objectLike({ Expression: 'IF(invocations > 0, 100 * errors / invocations, 0)' }),
        ]),
      });
    });

    it.each(['ingest', 'match'] as QueueName[])(
      'alarms when the oldest message on the %s queue is older than its visibility timeout',
      (name) => {
        synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: 'ApproximateAgeOfOldestMessage',
          Dimensions: [
            {
              Name: 'QueueName',
              Value: { 'Fn::GetAtt': [logicalId(synth.stack[name].queue.queue), 'QueueName'] },
            },
          ],
          Threshold: queues[name].visibilityTimeoutSeconds,
          ComparisonOperator: 'GreaterThanThreshold',
        });
      },
    );

    it('alarms on the API 5xx rate', () => {
      synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/ApiGateway',
        MetricName: '5XXError',
        Statistic: 'Average',
        Threshold: thresholds.apiServerErrorRate,
      });
    });

    it('alarms on a failed scheduled run', () => {
      synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `joint-credit-dev-DeadlinesSchedule-run-failed`,
        MetricName: 'Errors',
      });
    });

    it('alarms when a deadline falls in a year without calendar data, from the API or a run', () => {
      synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'joint-credit-dev-calendar-year-missing',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        Metrics: Match.arrayWith([
          Match.objectLike({ Expression: 'api + deadlines' }),
          Match.objectLike({
            MetricStat: Match.objectLike({
              Metric: Match.objectLike({
                MetricName: metrics.names.calendarYearMissing,
                Dimensions: [{ Name: 'service', Value: 'deadlines' }],
              }),
            }),
          }),
        ]),
      });
    });

    it('has no other alarms', () => {
      // 3 dead-letter + 1 failed run + 5 error rates + 2 queue ages + 1 API 5xx + 1 calendar gap
      synth.template.resourceCountIs('AWS::CloudWatch::Alarm', 3 + 1 + functionCount + 2 + 1 + 1);
    });
  });
});
