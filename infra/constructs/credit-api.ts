import { type CfnElement, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccessLogField,
  AccessLogFormat,
  ApiKeySourceType,
  AuthorizationType,
  EndpointType,
  IdentitySource,
  type IResource,
  LambdaIntegration,
  LogGroupLogDestination,
  type Method,
  MethodLoggingLevel,
  Period,
  RequestAuthorizer,
  type RequestValidator,
  ResponseType,
  RestApi,
  type UsagePlan,
} from 'aws-cdk-lib/aws-apigateway';
import {
  AccountRootPrincipal,
  AnyPrincipal,
  Effect,
  PolicyDocument,
  PolicyStatement,
  Role,
} from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { PROBLEM_CONTENT_TYPE, problemType } from '#lib/http/problem';
import type { AgencyRegistry } from '#lib/platform/agency-registry';
import { type GatewayProblem, gatewayProblems } from '#lib/platform/gateway-problems';
import { api as apiDefinition, env, resourceName } from '#lib/platform/resources';
import type { StageSettings } from '../config';
import { acknowledge } from '../nag';
import { CreditFunction } from './credit-function';
import type { CreditTable } from './credit-table';

export interface CreditApiProps {
  readonly settings: StageSettings;
  readonly table: CreditTable;
  /** Registered agencies: one usage plan (or, with apiAccess=iam, one caller role) each. */
  readonly registry: AgencyRegistry;
}

/** API Gateway's REST integration timeout: the api function must end before it (its timeout is shorter). */
export const integrationTimeout = Duration.seconds(29);

/**
 * The API Gateway API key that identifies an agency's usage plan. It authenticates nothing (the Lambda
 * authorizer does, and returns it as usageIdentifierKey), so it is derived, not secret.
 */
export function usageKeyPrefix(stage: string): string {
  return resourceName(stage, 'usage-');
}

/** The role an agency's systems assume to sign API calls (apiAccess=iam). */
export function agencyCallerRoleName(stage: string, agencyCode: string): string {
  return resourceName(stage, `api-caller-${agencyCode.toLowerCase()}`);
}

/** Gateway response templates only substitute variables: every member is fixed but the message. */
function problemTemplate(problem: GatewayProblem): string {
  const members = [
    `"type":${JSON.stringify(problemType(problem.code))}`,
    `"title":${JSON.stringify(problem.title)}`,
    ...(problem.status === undefined ? [] : [`"status":${problem.status}`]),
    `"code":${JSON.stringify(problem.code)}`,
    // $context.error.messageString is the gateway's message, already quoted and escaped.
    `"detail":${problem.detail === undefined ? '$context.error.messageString' : JSON.stringify(problem.detail)}`,
    '"instance":"$context.path"',
    '"requestId":"$context.requestId"',
  ];
  return `{${members.join(',')}}`;
}

/**
 * Structured (JSON) access log line: who called what, how it went, and where the time went. The route
 * template (`resourcePath`) and not the concrete path: a path parameter can be a person's ID.
 */
const accessLogFormat = AccessLogFormat.custom(
  JSON.stringify({
    requestId: AccessLogField.contextRequestId(),
    extendedRequestId: AccessLogField.contextExtendedRequestId(),
    requestTime: AccessLogField.contextRequestTime(),
    sourceIp: AccessLogField.contextIdentitySourceIp(),
    userAgent: AccessLogField.contextIdentityUserAgent(),
    httpMethod: AccessLogField.contextHttpMethod(),
    resourcePath: AccessLogField.contextResourcePath(),
    protocol: AccessLogField.contextProtocol(),
    status: AccessLogField.contextStatus(),
    responseLength: AccessLogField.contextResponseLength(),
    responseLatency: AccessLogField.contextResponseLatency(),
    integrationLatency: AccessLogField.contextIntegrationLatency(),
    integrationStatus: AccessLogField.contextIntegrationStatus(),
    principalId: AccessLogField.contextAuthorizerPrincipalId(),
    authorizerStatus: '$context.authorizer.integrationStatus',
    authorizerLatency: '$context.authorizer.latency',
    authorizerError: AccessLogField.contextAuthorizerError(),
    errorType: AccessLogField.contextErrorResponseType(),
    errorMessage: AccessLogField.contextErrorMessage(),
    xrayTraceId: AccessLogField.contextXrayTraceId(),
  }),
);

/**
 * The /v1 REST API. A Lambda REQUEST authorizer resolves the Bearer API key (hashed, per agency) on
 * every route except the public ones listed in `api.publicRoutes`; everything else under /v1 is proxied
 * to the api function, which routes and validates itself.
 */
export class CreditApi extends Construct {
  readonly restApi: RestApi;
  readonly apiFunction: CreditFunction;
  /** The Lambda authorizer and its function; absent with apiAccess=iam (SigV4 instead). */
  readonly authorizerFunction?: CreditFunction;
  readonly authorizer?: RequestAuthorizer;
  readonly accessLogGroup: LogGroup;
  /** API Gateway's own execution log group, created here so that it has a retention. */
  readonly executionLogGroup: LogGroup;
  readonly requestValidator: RequestValidator;
  /** `ANY /v1/{proxy+}`, behind the authorizer (or AWS_IAM). */
  readonly proxyMethod: Method;
  /** The methods of `api.publicRoutes`, without authorizer. */
  readonly publicMethods: readonly Method[];
  /** Per-agency usage plans, by agency code (Lambda authorizer modes only). */
  readonly usagePlans: ReadonlyMap<string, UsagePlan>;
  /** Roles agencies assume to sign calls, by agency code (apiAccess=iam only). */
  readonly callerRoles: ReadonlyMap<string, Role>;
  readonly webAcl?: CfnWebACL;

  constructor(scope: Construct, id: string, props: CreditApiProps) {
    super(scope, id);
    const { settings, table } = props;
    const usesAuthorizer = settings.apiAccess !== 'iam';

    this.apiFunction = this.createApiFunction(settings, table);
    if (usesAuthorizer) this.authorizerFunction = this.createAuthorizerFunction(settings, table);
    this.accessLogGroup = new LogGroup(this, 'AccessLogs', {
      logGroupName: `/aws/apigateway/${resourceName(settings.stage, 'api')}/access`,
      retention: settings.logRetention,
      removalPolicy: settings.removalPolicy,
    });
    this.restApi = this.createRestApi(settings);
    this.executionLogGroup = this.createExecutionLogGroup(settings);
    this.addProblemResponses();
    if (this.authorizerFunction) this.authorizer = this.createAuthorizer(settings, this.authorizerFunction);

    // Bodies are validated by the api function (zod); the validator enforces the required header.
    this.requestValidator = this.restApi.addRequestValidator('RequestValidator', {
      requestValidatorName: resourceName(settings.stage, 'api-request-validator'),
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    const integration = new LambdaIntegration(this.apiFunction.function, {
      proxy: true,
      allowTestInvoke: false,
      timeout: integrationTimeout,
    });
    this.publicMethods = this.addPublicRoutes(integration, settings.apiAccess === 'iam');
    this.proxyMethod = this.addProxyMethod(integration);
    this.usagePlans = this.authorizer ? this.createUsagePlans(settings, props.registry) : new Map();
    this.callerRoles = usesAuthorizer ? new Map() : this.createCallerRoles(settings, props.registry);
    this.webAcl = this.createWebAcl(settings);
  }

  private createApiFunction(settings: StageSettings, table: CreditTable): CreditFunction {
    const fn = new CreditFunction(this, 'ApiFunction', {
      name: 'api',
      settings,
      environment: { [env.tableName]: table.table.tableName },
      reservedConcurrency: settings.reservedConcurrency.api,
    });
    if (fn.definition.timeoutSeconds >= integrationTimeout.toSeconds()) {
      throw new Error(
        `api: timeout ${fn.definition.timeoutSeconds}s must be below the ${integrationTimeout.toSeconds()}s integration timeout, or the caller gets a gateway 504 while the function runs on`,
      );
    }
    // Checks, feedback and the query log are written, not only read.
    table.grantItems(fn);
    acknowledgeSynchronous(fn);
    return fn;
  }

  private createAuthorizerFunction(settings: StageSettings, table: CreditTable): CreditFunction {
    const fn = new CreditFunction(this, 'AuthorizerFunction', {
      name: 'authorizer',
      settings,
      environment: {
        [env.tableName]: table.table.tableName,
        [env.usageKeyPrefix]: usageKeyPrefix(settings.stage),
      },
      reservedConcurrency: settings.reservedConcurrency.authorizer,
    });
    // Looks up the key hash; never writes.
    table.grantItems(fn);
    acknowledgeSynchronous(fn);
    return fn;
  }

  private createRestApi(settings: StageSettings): RestApi {
    const { stage } = settings;
    const isPrivate = settings.apiAccess === 'private';
    const restApi = new RestApi(this, 'RestApi', {
      restApiName: resourceName(stage, 'api'),
      description: 'Joint rewards and sanctions: credit checks for business systems',
      // Edge-optimised endpoints (CloudFront) do not exist in the China regions.
      endpointTypes: [isPrivate ? EndpointType.PRIVATE : EndpointType.REGIONAL],
      ...(isPrivate ? { policy: privateApiPolicy(settings.apiVpcEndpointIds) } : {}),
      // Usage plans are keyed by the key the Lambda authorizer returns, never by a client header.
      apiKeySourceType: settings.apiAccess === 'iam' ? ApiKeySourceType.HEADER : ApiKeySourceType.AUTHORIZER,
      // Execution logging (ERROR) needs the account-level API Gateway → CloudWatch Logs role.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: stage,
        throttlingRateLimit: apiDefinition.throttle.rateLimit,
        throttlingBurstLimit: apiDefinition.throttle.burstLimit,
        accessLogDestination: new LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat,
        tracingEnabled: settings.tracing,
        loggingLevel: MethodLoggingLevel.ERROR,
        // Request and response bodies carry personal data: never log them.
        dataTraceEnabled: false,
        metricsEnabled: false,
      },
    });
    acknowledge(
      restApi,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      "API Gateway's account-level logging role: AmazonAPIGatewayPushToCloudWatchLogs is the AWS-maintained policy for exactly that service role.",
    );
    if (settings.webAclRateLimit === undefined) {
      acknowledge(
        restApi.deploymentStage,
        'AwsSolutions-APIG3',
        'No web ACL on this stage by stage setting (dev): callers are registered government systems with per-agency usage plans and stage throttling; prod stages get a WAFv2 web ACL with a rate-based rule.',
      );
    }
    if (!settings.tracing) {
      acknowledge(
        restApi.deploymentStage,
        'Serverless-APIGWXrayEnabled',
        'X-Ray tracing is off by stage setting where X-Ray has no Lambda integration (China regions, docs/deploying.md): the access log carries the request id instead.',
      );
    }
    return restApi;
  }

  /**
   * API Gateway writes execution logs to API-Gateway-Execution-Logs_<api id>/<stage>, a group it creates
   * without retention; created here first, it keeps the stage retention.
   */
  private createExecutionLogGroup(settings: StageSettings): LogGroup {
    const logGroup = new LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.restApi.restApiId}/${settings.stage}`,
      retention: settings.logRetention,
      removalPolicy: settings.removalPolicy,
    });
    this.restApi.deploymentStage.node.addDependency(logGroup);
    return logGroup;
  }

  private addProblemResponses(): void {
    for (const [responseType, problem] of Object.entries(gatewayProblems)) {
      this.restApi.addGatewayResponse(`Problem${responseType}`, {
        type: ResponseType.of(responseType),
        statusCode: problem.status === undefined ? undefined : String(problem.status),
        responseHeaders: Object.fromEntries(
          Object.entries({ 'Content-Type': PROBLEM_CONTENT_TYPE, ...problem.headers }).map(
            ([name, value]) => [name, `'${value}'`],
          ),
        ),
        templates: { 'application/json': problemTemplate(problem) },
      });
    }
  }

  private createAuthorizer(settings: StageSettings, fn: CreditFunction): RequestAuthorizer {
    return new RequestAuthorizer(this, 'Authorizer', {
      authorizerName: resourceName(settings.stage, 'api-key-authorizer'),
      handler: fn.function,
      identitySources: [IdentitySource.header('Authorization')],
      // Per stage: the longest a revoked key keeps working (admin key revoke).
      resultsCacheTtl: Duration.seconds(settings.authorizerCacheSeconds),
    });
  }

  /**
   * The routes without an API key. With apiAccess=iam they are signed too: where there is no ICP
   * licence, API Gateway refuses unauthenticated calls anyway.
   */
  private addPublicRoutes(integration: LambdaIntegration, signed: boolean): Method[] {
    return apiDefinition.publicRoutes.map((route) => {
      const [httpMethod, path] = route.split(' ');
      if (httpMethod === undefined || path === undefined) throw new Error(`Malformed public route ${route}`);
      const method = this.resourceAt(path).addMethod(httpMethod, integration, {
        authorizationType: signed ? AuthorizationType.IAM : AuthorizationType.NONE,
      });
      for (const rule of signed ? ['AwsSolutions-COG4'] : ['AwsSolutions-APIG4', 'AwsSolutions-COG4']) {
        acknowledge(
          method,
          rule,
          `${route} is public by design (api.publicRoutes): a liveness probe or the contract, returning no data.`,
        );
      }
      return method;
    });
  }

  private addProxyMethod(integration: LambdaIntegration): Method {
    const base = this.resourceAt(apiDefinition.basePath);
    const method = base.addProxy({ anyMethod: false }).addMethod(
      'ANY',
      integration,
      this.authorizer
        ? {
            authorizationType: AuthorizationType.CUSTOM,
            authorizer: this.authorizer,
            apiKeyRequired: true,
            requestValidator: this.requestValidator,
            requestParameters: { 'method.request.header.Authorization': true },
          }
        : { authorizationType: AuthorizationType.IAM, requestValidator: this.requestValidator },
    );
    acknowledge(
      method,
      'AwsSolutions-COG4',
      'Callers are machine clients of government agencies, authenticated by hashed per-agency API keys in a Lambda authorizer or by SigV4 with per-agency IAM roles; there are no end users to sign in through Cognito.',
    );
    return method;
  }

  /** One usage plan per registered agency, keyed by the API key the authorizer returns for it. */
  private createUsagePlans(settings: StageSettings, registry: AgencyRegistry): Map<string, UsagePlan> {
    const plans = new Map<string, UsagePlan>();
    const { rateLimit, burstLimit, quotaPerDay } = settings.agencyUsagePlan;
    for (const agency of registry.agencies) {
      const plan = this.restApi.addUsagePlan(`UsagePlan${agency.code}`, {
        name: resourceName(settings.stage, `usage-${agency.code.toLowerCase()}`),
        description: `${agency.code} ${agency.name}: its share of the stage`,
        throttle: { rateLimit, burstLimit },
        quota: { limit: quotaPerDay, period: Period.DAY },
        apiStages: [{ api: this.restApi, stage: this.restApi.deploymentStage }],
      });
      const key = this.restApi.addApiKey(`UsageKey${agency.code}`, {
        apiKeyName: resourceName(settings.stage, `usage-${agency.code.toLowerCase()}`),
        value: `${usageKeyPrefix(settings.stage)}${agency.code}`,
        description: `Usage-plan identifier of ${agency.code}, returned by the authorizer (not a credential)`,
      });
      plan.addApiKey(key);
      plans.set(agency.code, plan);
    }
    return plans;
  }

  /**
   * apiAccess=iam: one role per registered agency that principals of this account (the agency's own
   * users, managed outside the stack) may assume, allowed to invoke this stage and nothing else. The
   * api function maps the role to the agency and its registered roles (env IAM_CALLERS).
   */
  private createCallerRoles(settings: StageSettings, registry: AgencyRegistry): Map<string, Role> {
    const roles = new Map<string, Role>();
    const callers: Record<string, { agencyCode: string; roles: readonly string[] }> = {};
    for (const agency of registry.agencies) {
      const roleName = agencyCallerRoleName(settings.stage, agency.code);
      const role = new Role(this, `Caller${agency.code}`, {
        roleName,
        assumedBy: new AccountRootPrincipal(),
        // IAM descriptions accept Latin-1 only: the code and USCC, not the Chinese name.
        description: `${agency.code} (USCC ${agency.uscc}): signs calls to the ${settings.stage} credit API`,
        inlinePolicies: {
          invoke: new PolicyDocument({
            statements: [
              new PolicyStatement({
                actions: ['execute-api:Invoke'],
                resources: [this.restApi.arnForExecuteApi('*', '/*', settings.stage)],
              }),
            ],
          }),
        },
      });
      acknowledge(
        role,
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${logicalIdOf(this.restApi)}>/${settings.stage}/*/*]`,
        'Any method and path of this one API stage: what a caller may do per route is decided by the API from the agency roles.',
      );
      roles.set(agency.code, role);
      callers[roleName] = { agencyCode: agency.code, roles: agency.roles };
    }
    this.apiFunction.function.addEnvironment(env.iamCallers, JSON.stringify(callers));
    return roles;
  }

  /** Prod: a regional WAFv2 web ACL with a per-IP rate-based rule, associated with the stage. */
  private createWebAcl(settings: StageSettings): CfnWebACL | undefined {
    if (settings.webAclRateLimit === undefined) return undefined;
    const name = resourceName(settings.stage, 'api-web-acl');
    const webAcl = new CfnWebACL(this, 'WebAcl', {
      name,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: false },
      rules: [
        {
          name: 'rate-per-ip',
          priority: 0,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: settings.webAclRateLimit, aggregateKeyType: 'IP' } },
          visibilityConfig: {
            cloudWatchMetricsEnabled: true,
            metricName: `${name}-rate-per-ip`,
            sampledRequestsEnabled: false,
          },
        },
      ],
    });
    new CfnWebACLAssociation(this, 'WebAclAssociation', {
      resourceArn: this.restApi.deploymentStage.stageArn,
      webAclArn: webAcl.attrArn,
    });
    return webAcl;
  }

  /** The resource at `path` (e.g. /v1/health), created on first use. */
  private resourceAt(path: string): IResource {
    let resource: IResource = this.restApi.root;
    for (const part of path.split('/').filter((segment) => segment !== '')) {
      resource = resource.getResource(part) ?? resource.addResource(part);
    }
    return resource;
  }
}

function acknowledgeSynchronous(fn: CreditFunction): void {
  acknowledge(
    fn.function,
    'Serverless-LambdaDLQ',
    'Invoked synchronously by API Gateway: a failure is returned to the caller as a problem+json response, there is no asynchronous event to dead-letter.',
  );
}

function logicalIdOf(restApi: RestApi): string {
  return Stack.of(restApi).getLogicalId(restApi.node.defaultChild as CfnElement);
}

/** A private API answers only calls that arrive through the listed interface VPC endpoints. */
function privateApiPolicy(vpcEndpointIds: readonly string[]): PolicyDocument {
  return new PolicyDocument({
    statements: [
      new PolicyStatement({
        effect: Effect.ALLOW,
        principals: [new AnyPrincipal()],
        actions: ['execute-api:Invoke'],
        resources: ['execute-api:/*'],
        conditions: { StringEquals: { 'aws:SourceVpce': [...vpcEndpointIds] } },
      }),
    ],
  });
}
