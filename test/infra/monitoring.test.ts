import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { thresholds } from '#infra/constructs/monitoring/alarms';
import { DYNAMIC_TYPE_LABEL } from '#infra/constructs/monitoring/metrics';
import { functions, metrics, type QueueName, queues } from '#lib/platform/resources';
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

describe('Constructs: PlatformAlarms and OperationsDashboard', () => {
  let synth: Synthesized;
  let widgets: Widget[];

  beforeAll(() => {
    synth = synthesize('dev');
    const dashboard = resourceOf(
      synth.template,
      'AWS::CloudWatch::Dashboard',
      synth.stack.dashboard.dashboard,
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

    it.each(['Lambda: errors', 'Lambda: throttles', 'Lambda: duration p99'])(
      'graphs "%s" with one line per function',
      (title) => {
        expect(widget(title).properties.metrics).toHaveLength(functionCount);
      },
    );

    it('graphs concurrency per function and for the whole account', () => {
      expect(widget('Lambda: concurrent executions').properties.metrics).toHaveLength(functionCount + 1);
    });
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
      const deadLetter = alarms().filter((alarm) =>
        String(alarm.Properties.AlarmName).endsWith('-dlq-not-empty'),
      );
      expect(deadLetter).toHaveLength(3);
    });

    it.each(Object.values(functions).map((fn) => [fn.id]))('has an error-rate alarm for %s', (id) => {
      synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `joint-credit-dev-${id}-error-rate`,
        Threshold: thresholds.functionErrorRatePercent,
        ComparisonOperator: 'GreaterThanThreshold',
        Metrics: Match.arrayWith([
          Match.objectLike({
            Expression: `IF(invocations >= ${thresholds.functionMinInvocations}, 100 * errors / invocations, 0)`,
          }),
        ]),
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
      });
    });

    it.each(Object.values(functions).map((fn) => [fn.id]))('has a throttle alarm for %s', (id) => {
      synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `joint-credit-dev-${id}-throttles`,
        MetricName: 'Throttles',
        Threshold: 0,
        DatapointsToAlarm: 2,
      });
    });

    it.each(['ingest', 'match'] as QueueName[])(
      'alarms on a backlog of the %s queue for 15 minutes',
      (name) => {
        synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          AlarmName: `joint-credit-dev-${queues[name].id}-backlog`,
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Threshold: thresholds.queueBacklog[name],
          EvaluationPeriods: 3,
          DatapointsToAlarm: 3,
        });
      },
    );

    it('alarms on API p99 latency only from a minimum number of requests', () => {
      synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'joint-credit-dev-api-latency-p99',
        Threshold: thresholds.apiLatencyP99Ms,
        Metrics: Match.arrayWith([
          Match.objectLike({ Expression: `IF(requests >= ${thresholds.apiMinRequests}, latency, 0)` }),
          Match.objectLike({
            MetricStat: Match.objectLike({
              Metric: Match.objectLike({ MetricName: 'Latency' }),
              Stat: 'p99',
            }),
          }),
        ]),
      });
    });

    it('alarms on a 4xx surge, from a minimum number of requests', () => {
      synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'joint-credit-dev-api-4xx-rate',
        Threshold: thresholds.apiClientErrorRate,
        Metrics: Match.arrayWith([
          Match.objectLike({
            Expression: `IF(requests >= ${thresholds.apiMinRequests}, part / requests, 0)`,
          }),
          Match.objectLike({
            MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: '4XXError' }) }),
          }),
        ]),
        DatapointsToAlarm: 2,
      });
    });

    it('counts 429 answers from the access log and alarms on a surge', () => {
      synth.template.hasResourceProperties('AWS::Logs::MetricFilter', {
        LogGroupName: ref(synth.stack.api.accessLogGroup),
        FilterPattern: '{ $.status = "429" }',
        MetricTransformations: [
          Match.objectLike({
            MetricNamespace: metrics.namespace,
            MetricName: metrics.names.apiRequestsThrottled,
          }),
        ],
      });
      synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'joint-credit-dev-api-429-surge',
        MetricName: metrics.names.apiRequestsThrottled,
        Threshold: thresholds.apiThrottledRequests,
      });
    });

    it.each([
      ['throttles', 'ThrottledRequests'],
      ['system-errors', 'SystemErrors'],
    ])('alarms on DynamoDB %s of the table', (name, metricName) => {
      synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `joint-credit-dev-table-${name}`,
        Metrics: Match.arrayWith([
          Match.objectLike({
            MetricStat: Match.objectLike({
              Metric: Match.objectLike({ Namespace: 'AWS/DynamoDB', MetricName: metricName }),
            }),
          }),
        ]),
      });
    });

    it.each(['alarms', 'notices'])('alarms on failed deliveries of the %s topic', (name) => {
      synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `joint-credit-dev-${name}-topic-delivery-failed`,
        Namespace: 'AWS/SNS',
        MetricName: 'NumberOfNotificationsFailed',
      });
    });

    it('alarms on the account concurrency nearing its limit', () => {
      synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'joint-credit-dev-account-concurrency',
        Namespace: 'AWS/Lambda',
        MetricName: 'ConcurrentExecutions',
        Dimensions: Match.absent(),
        Threshold: 800,
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

    it('alarms on the API 5xx rate, from a minimum number of requests', () => {
      synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'joint-credit-dev-api-5xx-rate',
        Threshold: thresholds.apiServerErrorRate,
        Metrics: Match.arrayWith([
          Match.objectLike({
            Expression: `IF(requests >= ${thresholds.apiMinRequests}, part / requests, 0)`,
          }),
          Match.objectLike({
            MetricStat: Match.objectLike({
              Metric: Match.objectLike({ MetricName: '5XXError' }),
              Stat: 'Sum',
            }),
          }),
        ]),
        DatapointsToAlarm: 2,
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
      // 3 dead-letter + 1 failed run + 5 error rates + 5 throttles + 2 queue ages + 2 backlogs
      // + 1 calendar gap + API 5xx, 4xx, 429, latency + table throttles, system errors + 2 topics + account
      synth.template.resourceCountIs(
        'AWS::CloudWatch::Alarm',
        3 + 1 + 2 * functionCount + 2 + 2 + 1 + 4 + 2 + 2 + 1,
      );
    });

    it('keeps the logical ids the alarms and the dashboard had before the split (updated in place, never recreated)', () => {
      expect(logicalId(synth.stack.dashboard.dashboard)).toBe('MonitoringDashboard0C3675C6');
      expect(synth.template.findResources('AWS::CloudWatch::Alarm')).toHaveProperty(
        'MonitoringApiServerErrorAlarm1FD1EA5A',
      );
    });
  });
});
