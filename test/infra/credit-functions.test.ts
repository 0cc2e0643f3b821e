import { beforeAll, describe, expect, it } from 'vitest';
import type { CreditFunction } from '#infra/constructs/credit-function';
import { tableAccess } from '#infra/constructs/credit-table';
import { officeReportsPrefix } from '#infra/constructs/data-bucket';
import { bucketLayout, env, type FunctionName, functions, metrics } from '#lib/platform/resources';
import {
  actionsOf,
  allowedActions,
  arnOf,
  logicalId,
  ref,
  resourceOf,
  resourcesOf,
  type Synthesized,
  statementsOf,
  synthesize,
} from './support';

const names = Object.keys(functions) as FunctionName[];

/** Which resource variables each function gets: exactly what it uses, no more. */
const expectedVariables: Record<FunctionName, readonly string[]> = {
  // Its own queue URL too: large files fan byte-range chunks out through it.
  ingest: [env.tableName, env.bucketName, env.matchQueueUrl, env.ingestQueueUrl],
  // Alerts go out on the platform's event bus.
  match: [env.tableName, env.eventBusName],
  // Per-agency deadline notices go out on the bus; the registry names the agencies to cover.
  deadlines: [env.tableName, env.bucketName, env.matchQueueUrl, env.eventBusName, env.deadlinesAgencies],
  // The access log's reference key (Secrets Manager); credit-repair materials and decision events.
  api: [env.tableName, env.auditReferenceSecretArn, env.bucketName, env.eventBusName],
  // The prefix of the usage-plan key it returns per agency.
  authorizer: [env.tableName, env.usageKeyPrefix],
};

const tableWriteActions = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

describe('Construct: CreditFunction', () => {
  let synth: Synthesized;

  beforeAll(() => {
    synth = synthesize('dev');
  });

  const creditFunction = (name: FunctionName): CreditFunction => {
    const found = {
      ingest: synth.stack.ingest.function,
      match: synth.stack.match.function,
      deadlines: synth.stack.deadlines.function,
      api: synth.stack.api.apiFunction,
      authorizer: synth.stack.api.authorizerFunction,
    }[name];
    if (found === undefined) throw new Error(`No ${name} function in this stage`);
    return found;
  };
  const functionProperties = (name: FunctionName) =>
    resourceOf(synth.template, 'AWS::Lambda::Function', creditFunction(name).function).Properties;
  const variables = (name: FunctionName) =>
    (functionProperties(name).Environment as { Variables: Record<string, unknown> }).Variables;

  describe.each(names)('Function: %s', (name) => {
    const definition = functions[name];

    it('runs on nodejs22.x', () => {
      expect(functionProperties(name).Runtime).toBe('nodejs22.x');
    });

    it('runs on arm64', () => {
      expect(functionProperties(name).Architectures).toEqual(['arm64']);
    });

    it('has the timeout of its definition', () => {
      expect(functionProperties(name).Timeout).toBe(definition.timeoutSeconds);
    });

    it('has the memory of its definition', () => {
      expect(functionProperties(name).MemorySize).toBe(definition.memoryMb);
    });

    it('has active X-Ray tracing', () => {
      expect(functionProperties(name).TracingConfig).toEqual({ Mode: 'Active' });
    });

    it('is named after the stage and its definition id', () => {
      expect(functionProperties(name).FunctionName).toBe(`joint-credit-dev-${definition.id}`);
    });

    it('runs the bundled ESM handler', () => {
      expect(functionProperties(name).Handler).toBe('index.handler');
    });

    it('has its own execution role', () => {
      expect(functionProperties(name).Role).toEqual(arnOf(creditFunction(name).role));
    });

    it('has an execution role without managed policies', () => {
      const role = resourceOf(synth.template, 'AWS::IAM::Role', creditFunction(name).role);
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    });

    it('logs to its own log group, with a retention', () => {
      // Prepare
      const logGroup = resourceOf(synth.template, 'AWS::Logs::LogGroup', creditFunction(name).logGroup);
      // Assess
      expect(functionProperties(name).LoggingConfig).toEqual({
        LogGroup: ref(creditFunction(name).logGroup),
      });
      expect(logGroup.Properties).toMatchObject({
        LogGroupName: `/aws/lambda/joint-credit-dev-${definition.id}`,
        RetentionInDays: 30,
      });
    });

    it('may write to its own log group only', () => {
      const logActions = [...allowedActions(synth.template, creditFunction(name).role)].filter(([action]) =>
        action.startsWith('logs:'),
      );
      expect(logActions.map(([action]) => action).sort()).toEqual([
        'logs:CreateLogStream',
        'logs:PutLogEvents',
      ]);
      for (const [, resources] of logActions)
        expect(resources).toEqual([arnOf(creditFunction(name).logGroup)]);
    });

    it('gets the Powertools service name, metrics namespace and stage, with the Tracer following the stage', () => {
      expect(variables(name)).toMatchObject({
        POWERTOOLS_SERVICE_NAME: name,
        POWERTOOLS_TRACE_ENABLED: 'true',
        POWERTOOLS_METRICS_NAMESPACE: metrics.namespace,
        [env.stage]: 'dev',
        NODE_OPTIONS: '--enable-source-maps',
      });
    });

    it('gets exactly the resource variables it uses', () => {
      const resourceVariables = Object.keys(variables(name)).filter((variable) =>
        (Object.values(env) as string[]).includes(variable),
      );
      expect(resourceVariables.sort()).toEqual([env.stage, ...expectedVariables[name]].sort());
    });

    it('may not use any wildcard action', () => {
      const wildcards = [...allowedActions(synth.template, creditFunction(name).role).keys()].filter(
        (action) => action === '*' || action.endsWith(':*'),
      );
      expect(wildcards).toEqual([]);
    });
  });

  it('gives the table name, bucket name and match queue URL as references, not literals', () => {
    expect(variables('ingest')).toMatchObject({
      [env.tableName]: ref(synth.stack.table.table),
      [env.bucketName]: ref(synth.stack.data.bucket),
      [env.matchQueueUrl]: ref(synth.stack.match.queue.queue),
    });
  });

  it('has one execution role per function', () => {
    const roles = new Set(names.map((name) => logicalId(creditFunction(name).role)));
    expect(roles.size).toBe(names.length);
  });

  describe('Least privilege', () => {
    const tableActions = (name: FunctionName) =>
      [...allowedActions(synth.template, creditFunction(name).role).keys()].filter((a) =>
        a.startsWith('dynamodb:'),
      );
    const s3Statements = (name: FunctionName) =>
      statementsOf(synth.template, creditFunction(name).role).filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('s3:')),
      );
    const objectsArn = (prefix: string) => ({
      'Fn::Join': ['', [arnOf(synth.stack.data.bucket), `/${prefix}*`]],
    });

    const dynamodbStatements = (name: FunctionName) =>
      statementsOf(synth.template, creditFunction(name).role).filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('dynamodb:')),
      );

    it('lets the authorizer GetItem API-key records and nothing else', () => {
      // Act
      const allowed = dynamodbStatements('authorizer').filter((statement) => statement.Effect === 'Allow');
      // Assess
      expect(allowed).toEqual([
        {
          Effect: 'Allow',
          Action: 'dynamodb:GetItem',
          Resource: arnOf(synth.stack.table.table),
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['APIKEY#*'] } },
        },
      ]);
    });

    it.each(names)('lets %s use exactly the item actions its code sends (tableAccess)', (name) => {
      const expected = tableAccess[name].actions.map((action) => `dynamodb:${action}`);
      expect(tableActions(name).sort()).toEqual(expected.sort());
    });

    it.each(names)('lets %s neither Scan nor describe or manage the table', (name) => {
      expect(tableActions(name).filter((a) => /Scan|Describe|Table|Stream/.test(a))).toEqual([]);
    });

    it.each(names)('lets %s use item actions on this table, and Query only on its indexes', (name) => {
      for (const statement of dynamodbStatements(name)) {
        const resources = resourcesOf(statement);
        if (JSON.stringify(resources).includes('/index/*')) {
          expect(resources).toEqual([{ 'Fn::Join': ['', [arnOf(synth.stack.table.table), '/index/*']] }]);
          expect(actionsOf(statement)).toEqual(['dynamodb:Query']);
        } else {
          expect(resources).toEqual([arnOf(synth.stack.table.table)]);
        }
      }
    });

    it.each(['api', 'ingest', 'match', 'deadlines'] as const)(
      'denies %s writing API keys and agency profiles, and reading API keys',
      (name) => {
        const denies = dynamodbStatements(name).filter((statement) => statement.Effect === 'Deny');
        expect(denies).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              Action: expect.arrayContaining(
                tableWriteActions.filter((action) => tableActions(name).includes(action)),
              ),
              Condition: {
                'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': ['APIKEY#*', 'AGENCY#*'] },
              },
            }),
            expect.objectContaining({
              Action: expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']),
              Condition: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': ['APIKEY#*'] } },
            }),
          ]),
        );
      },
    );

    it('never lets a function manage the table (no table-level write actions)', () => {
      for (const name of names) {
        expect(tableActions(name).filter((a) => /CreateTable|DeleteTable|UpdateTable/.test(a))).toEqual([]);
      }
    });

    it('lets ingest read objects under incoming/ and its own work/ingest/ scratch only', () => {
      const reads = s3Statements('ingest').filter(
        (s) => s.Effect === 'Allow' && actionsOf(s).includes('s3:GetObject'),
      );
      expect(reads).toEqual([
        expect.objectContaining({
          Action: ['s3:GetObject', 's3:GetObjectVersion'],
          Resource: objectsArn(bucketLayout.incomingPrefix),
        }),
        expect.objectContaining({ Resource: objectsArn(bucketLayout.ingestWorkPrefix) }),
      ]);
    });

    it('lets ingest write objects under reports/ and work/ingest/ only', () => {
      const writes = s3Statements('ingest').filter(
        (s) => s.Effect === 'Allow' && actionsOf(s).includes('s3:PutObject'),
      );
      expect(writes).toEqual([
        expect.objectContaining({ Action: 's3:PutObject', Resource: objectsArn(bucketLayout.reportsPrefix) }),
        expect.objectContaining({
          Action: ['s3:GetObject', 's3:PutObject'],
          Resource: objectsArn(bucketLayout.ingestWorkPrefix),
        }),
      ]);
    });

    it('denies ingest writing the office reports under reports/_office/', () => {
      expect(s3Statements('ingest')).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:PutObject',
          Resource: objectsArn(officeReportsPrefix),
        }),
      );
    });

    it('lets deadlines write objects under reports/_office/ and read none', () => {
      expect(s3Statements('deadlines')).toEqual([
        expect.objectContaining({
          Effect: 'Allow',
          Action: 's3:PutObject',
          Resource: objectsArn(officeReportsPrefix),
        }),
      ]);
    });

    it.each(['match', 'authorizer'] as const)('gives %s no access to the bucket', (name) => {
      expect(s3Statements(name)).toEqual([]);
    });

    it('lets api get and put credit-repair materials only', () => {
      const statements = s3Statements('api');
      expect(statements).toHaveLength(1);
      const [statement] = statements;
      expect([...(statement?.Action ?? [])].sort()).toEqual(['s3:GetObject', 's3:PutObject']);
      expect(JSON.stringify(statement?.Resource)).toContain('repair-materials/');
    });

    it('lets ingest send to the match queue and to its own queue (large-file chunks) only', () => {
      const queues = allowedActions(synth.template, creditFunction('ingest').role).get('sqs:SendMessage');
      expect(queues).toHaveLength(2);
      expect(queues).toEqual(
        expect.arrayContaining([arnOf(synth.stack.match.queue.queue), arnOf(synth.stack.ingest.queue.queue)]),
      );
    });

    it('lets deadlines send to the match queue and to its own dead-letter queue only', () => {
      const queues = allowedActions(synth.template, creditFunction('deadlines').role).get('sqs:SendMessage');
      expect(queues).toHaveLength(2);
      expect(queues).toEqual(
        expect.arrayContaining([
          arnOf(synth.stack.match.queue.queue),
          arnOf(synth.stack.deadlines.deadLetterQueue),
        ]),
      );
    });

    it.each(['match', 'api', 'authorizer'] as const)('does not let %s send to any queue', (name) => {
      expect(allowedActions(synth.template, creditFunction(name).role).has('sqs:SendMessage')).toBe(false);
    });

    it.each(['ingest', 'match'] as const)('lets %s consume its own queue only', (name) => {
      expect(allowedActions(synth.template, creditFunction(name).role).get('sqs:ReceiveMessage')).toEqual([
        arnOf(synth.stack[name].queue.queue),
      ]);
    });

    it('lets only the deadlines function dead-letter its failed asynchronous invocations', () => {
      expect(functionProperties('deadlines').DeadLetterConfig).toEqual({
        TargetArn: arnOf(synth.stack.deadlines.deadLetterQueue),
      });
      for (const name of names.filter((n) => n !== 'deadlines')) {
        expect(functionProperties(name).DeadLetterConfig).toBeUndefined();
      }
    });

    it('allows X-Ray writes, which have no resource-level permissions, and nothing else on "*"', () => {
      for (const name of names) {
        const onStar = statementsOf(synth.template, creditFunction(name).role).filter(
          (statement) => statement.Effect === 'Allow' && resourcesOf(statement).includes('*'),
        );
        expect(onStar.flatMap(actionsOf).sort()).toEqual([
          'xray:PutTelemetryRecords',
          'xray:PutTraceSegments',
        ]);
      }
    });
  });
});
