import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccessLogField,
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  IdentitySource,
  type IResource,
  LambdaIntegration,
  LogGroupLogDestination,
  type Method,
  MethodLoggingLevel,
  RequestAuthorizer,
  type RequestValidator,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type GatewayProblem, gatewayProblems } from '../../lib/http/gateway-problems';
import { PROBLEM_CONTENT_TYPE, problemType } from '../../lib/http/problem';
import { api as apiDefinition, env, resourceName } from '../../lib/platform/resources';
import type { StageSettings } from '../config';
import { acknowledge } from '../nag';
import { CreditFunction } from './credit-function';
import type { CreditTable } from './credit-table';

export interface CreditApiProps {
  readonly settings: StageSettings;
  readonly table: CreditTable;
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

/** Structured (JSON) access log line: who called what, how it went, and where the time went. */
const accessLogFormat = AccessLogFormat.custom(
  JSON.stringify({
    requestId: AccessLogField.contextRequestId(),
    extendedRequestId: AccessLogField.contextExtendedRequestId(),
    requestTime: AccessLogField.contextRequestTime(),
    sourceIp: AccessLogField.contextIdentitySourceIp(),
    userAgent: AccessLogField.contextIdentityUserAgent(),
    httpMethod: AccessLogField.contextHttpMethod(),
    resourcePath: AccessLogField.contextResourcePath(),
    path: AccessLogField.contextPath(),
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
  readonly authorizerFunction: CreditFunction;
  readonly authorizer: RequestAuthorizer;
  readonly accessLogGroup: LogGroup;
  readonly requestValidator: RequestValidator;
  /** `ANY /v1/{proxy+}`, behind the authorizer. */
  readonly proxyMethod: Method;
  /** The methods of `api.publicRoutes`, without authorizer. */
  readonly publicMethods: readonly Method[];

  constructor(scope: Construct, id: string, props: CreditApiProps) {
    super(scope, id);
    const { settings, table } = props;
    const { stage } = settings;
    const apiName = resourceName(stage, 'api');

    this.apiFunction = new CreditFunction(this, 'ApiFunction', {
      name: 'api',
      settings,
      environment: { [env.tableName]: table.table.tableName },
    });
    // Checks, feedback and the query log are written, not only read.
    table.grantReadWrite(this.apiFunction);

    this.authorizerFunction = new CreditFunction(this, 'AuthorizerFunction', {
      name: 'authorizer',
      settings,
      environment: { [env.tableName]: table.table.tableName },
    });
    // Looks up the key hash; never writes.
    table.grantRead(this.authorizerFunction);

    for (const fn of [this.apiFunction, this.authorizerFunction]) {
      acknowledge(
        fn.function,
        'Serverless-LambdaDLQ',
        'Invoked synchronously by API Gateway: a failure is returned to the caller as a problem+json response, there is no asynchronous event to dead-letter.',
      );
    }

    this.accessLogGroup = new LogGroup(this, 'AccessLogs', {
      logGroupName: `/aws/apigateway/${apiName}/access`,
      retention: settings.logRetention,
      removalPolicy: settings.removalPolicy,
    });

    this.restApi = new RestApi(this, 'RestApi', {
      restApiName: apiName,
      description: 'Joint rewards and sanctions: credit checks for business systems',
      // Edge-optimised endpoints (CloudFront) do not exist in the China regions.
      endpointTypes: [EndpointType.REGIONAL],
      // Execution logging (ERROR) needs the account-level API Gateway → CloudWatch Logs role.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: stage,
        throttlingRateLimit: apiDefinition.throttle.rateLimit,
        throttlingBurstLimit: apiDefinition.throttle.burstLimit,
        accessLogDestination: new LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat,
        tracingEnabled: true,
        loggingLevel: MethodLoggingLevel.ERROR,
        // Request and response bodies carry personal data: never log them.
        dataTraceEnabled: false,
        metricsEnabled: false,
      },
    });
    acknowledge(
      this.restApi,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      "API Gateway's account-level logging role: AmazonAPIGatewayPushToCloudWatchLogs is the AWS-maintained policy for exactly that service role.",
    );
    acknowledge(
      this.restApi.deploymentStage,
      'AwsSolutions-APIG3',
      'Callers are registered government business systems with per-agency API keys, throttled per method; a WAFv2 web ACL is an account-level decision of the operator and can be associated with the stage without changing this stack.',
    );

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

    this.authorizer = new RequestAuthorizer(this, 'Authorizer', {
      authorizerName: resourceName(stage, 'api-key-authorizer'),
      handler: this.authorizerFunction.function,
      identitySources: [IdentitySource.header('Authorization')],
      resultsCacheTtl: Duration.seconds(apiDefinition.authorizerCacheSeconds),
    });

    // Bodies are validated by the api function (zod); the validator enforces the required header.
    this.requestValidator = this.restApi.addRequestValidator('RequestValidator', {
      requestValidatorName: resourceName(stage, 'api-request-validator'),
      validateRequestBody: true,
      validateRequestParameters: true,
    });

    const integration = new LambdaIntegration(this.apiFunction.function, {
      proxy: true,
      allowTestInvoke: false,
    });
    const base = this.resourceAt(apiDefinition.basePath);

    this.publicMethods = apiDefinition.publicRoutes.map((route) => {
      const [httpMethod, path] = route.split(' ');
      if (httpMethod === undefined || path === undefined) throw new Error(`Malformed public route ${route}`);
      const method = this.resourceAt(path).addMethod(httpMethod, integration, {
        authorizationType: AuthorizationType.NONE,
      });
      acknowledge(
        method,
        'AwsSolutions-APIG4',
        `${route} is public by design (api.publicRoutes): a liveness probe that returns no data.`,
      );
      acknowledge(
        method,
        'AwsSolutions-COG4',
        `${route} is public by design (api.publicRoutes): a liveness probe that returns no data.`,
      );
      return method;
    });

    this.proxyMethod = base.addProxy({ anyMethod: false }).addMethod('ANY', integration, {
      authorizationType: AuthorizationType.CUSTOM,
      authorizer: this.authorizer,
      requestValidator: this.requestValidator,
      requestParameters: { 'method.request.header.Authorization': true },
    });
    acknowledge(
      this.proxyMethod,
      'AwsSolutions-COG4',
      'Callers are machine clients of government agencies authenticated by hashed per-agency API keys in a Lambda authorizer; there are no end users to sign in through Cognito.',
    );
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
