import { join } from 'node:path';
import { type CfnElement, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AuthorizationType,
  AwsIntegration,
  type CfnStage,
  type Integration,
  type IResource,
  type IRestApi,
  LambdaIntegration,
  type Method,
  type Stage,
} from 'aws-cdk-lib/aws-apigateway';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct, type IConstruct } from 'constructs';
import { publicDisclosure, publicSiteFolder } from '#lib/platform/public-disclosure';
import { repoRoot, type StageSettings } from '../config';
import { acknowledge, wildcardOnArn } from '../nag';

export interface PublicDisclosureProps {
  readonly settings: StageSettings;
  /** The platform's REST API: the public routes are methods of its stage, without its authorizer. */
  readonly restApi: IRestApi & { readonly deploymentStage: Stage };
  /** The api function, which answers GET /public/v1/... (routes in functions/api/routes/public.ts). */
  readonly apiFunction: IFunction;
  /** Where the site bucket's server access logs go. */
  readonly accessLogBucket: IBucket;
}

/**
 * API Gateway's method-setting path: `/` then the resource path with every slash written `~1`
 * (/public/v1 → /~1public~1v1), as CDK's own methodOptions render it.
 */
export function methodSettingPath(resourcePath: string): string {
  return `/${resourcePath.replace(/\//g, '~1')}`;
}

const PUBLIC_REASON =
  'The public disclosure (信用信息公示) is public by law (双公示): anyone may read it without an account or key. It serves only what lib/disclosure lets out, read-only, with its own throttling.';

/**
 * The public disclosure site on the platform's API: `GET /public/v1/{proxy+}` to the api function and
 * `GET /public`, `GET /public/{asset}` from a private site bucket (API Gateway S3 integration with its
 * own read-only role), all without the authorizer, with their own throttling in the stage's method
 * settings. The page's files (web/public/) are deployed to the bucket with a Cache-Control header;
 * S3's ETag and If-None-Match pass through, so browsers revalidate with 304.
 *
 * The page is served by the API rather than by CloudFront so that it works the same in the China
 * regions (CloudFront there needs an ICP-filed domain) and shares the API's origin (no CORS).
 */
export class PublicDisclosure extends Construct {
  readonly siteBucket: Bucket;
  readonly deployment: BucketDeployment;
  /** API Gateway's role for reading the site bucket (public/ only). */
  readonly siteReadRole: Role;
  /** GET /public/v1/{proxy+} → the api function. */
  readonly apiMethod: Method;
  /** POST /public/v1/{proxy+} → the api function (objection filing and withdrawal, credit-repair applications). */
  readonly commandMethod: Method;
  /** GET /public (the page) and GET /public/{asset}. */
  readonly pageMethods: readonly Method[];

  constructor(scope: Construct, id: string, props: PublicDisclosureProps) {
    super(scope, id);
    const { settings, restApi } = props;
    this.siteBucket = this.createSiteBucket(settings, props.accessLogBucket);
    this.deployment = new BucketDeployment(this, 'SiteAssets', {
      sources: [Source.asset(join(repoRoot, publicSiteFolder))],
      destinationBucket: this.siteBucket,
      destinationKeyPrefix: publicDisclosure.assetPrefix,
      cacheControl: [CacheControl.fromString(`public, max-age=${publicDisclosure.assetCacheSeconds}`)],
      prune: true,
      // Deleting the stack deletes the page's objects first, so the bucket can go without auto-delete.
      retainOnDelete: settings.removalPolicy === RemovalPolicy.RETAIN,
      logGroup: new LogGroup(this, 'SiteAssetsLogs', {
        retention: settings.logRetention,
        removalPolicy: settings.removalPolicy,
      }),
    });
    this.acknowledgeDeploymentHandler();

    this.siteReadRole = new Role(this, 'SiteReadRole', {
      assumedBy: new ServicePrincipal('apigateway.amazonaws.com'),
      description: 'API Gateway reads the public disclosure page from the site bucket (public/ only)',
    });
    this.siteBucket.grantRead(this.siteReadRole, `${publicDisclosure.assetPrefix}*`);
    acknowledge(
      this.siteReadRole,
      wildcardOnArn(this.siteBucket.node.defaultChild as CfnElement, `/${publicDisclosure.assetPrefix}*`),
      'Reads any asset of the page under public/ in the site bucket, which holds nothing else; the API decides the key from the path.',
    );
    acknowledge(
      this.siteReadRole,
      'AwsSolutions-IAM5[Action::s3:GetObject*]',
      'grantRead: GetObject and its variants on the public page assets only.',
    );
    acknowledge(
      this.siteReadRole,
      'AwsSolutions-IAM5[Action::s3:GetBucket*]',
      'grantRead: bucket metadata of the site bucket, needed by S3 to answer the object reads.',
    );
    acknowledge(
      this.siteReadRole,
      'AwsSolutions-IAM5[Action::s3:List*]',
      'grantRead: listing the site bucket lets S3 answer 404 (not 403) for a missing asset.',
    );

    const base = resourceAt(restApi.root, publicDisclosure.basePath);
    const apiProxy = resourceAt(restApi.root, publicDisclosure.apiPath).addProxy({ anyMethod: false });
    const apiIntegration = new LambdaIntegration(props.apiFunction, { proxy: true, allowTestInvoke: false });
    this.apiMethod = this.publicMethod(apiProxy, apiIntegration);
    // Public filings (异议, 信用修复 applications) by the subject: no key, their own lower throttle.
    this.commandMethod = this.publicMethod(apiProxy, apiIntegration, {}, 'POST');
    this.pageMethods = [
      this.publicMethod(
        base,
        this.assetIntegration(publicDisclosure.indexDocument),
        assetMethodOptions(false),
      ),
      this.publicMethod(
        base.addResource('{asset}'),
        this.assetIntegration('{asset}'),
        assetMethodOptions(true),
      ),
    ];
    this.throttlePublicMethods(restApi.deploymentStage);
  }

  private createSiteBucket(settings: StageSettings, accessLogBucket: IBucket): Bucket {
    const bucket = new Bucket(this, 'SiteBucket', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogBucket,
      serverAccessLogsPrefix: 'public-site/',
      removalPolicy: settings.removalPolicy,
    });
    return bucket;
  }

  /** The S3 object behind an asset path: a fixed key for the page, `{asset}` from the path otherwise. */
  private assetIntegration(key: string): Integration {
    const fromPath = key === '{asset}';
    const passThrough = {
      'method.response.header.Content-Type': 'integration.response.header.Content-Type',
      'method.response.header.Cache-Control': 'integration.response.header.Cache-Control',
      'method.response.header.ETag': 'integration.response.header.ETag',
    };
    return new AwsIntegration({
      service: 's3',
      integrationHttpMethod: 'GET',
      path: `${this.siteBucket.bucketName}/${publicDisclosure.assetPrefix}${key}`,
      options: {
        credentialsRole: this.siteReadRole,
        requestParameters: {
          ...(fromPath ? { 'integration.request.path.asset': 'method.request.path.asset' } : {}),
          'integration.request.header.If-None-Match': 'method.request.header.If-None-Match',
        },
        integrationResponses: [
          { statusCode: '200', responseParameters: passThrough },
          {
            statusCode: '304',
            selectionPattern: '304',
            responseParameters: {
              'method.response.header.Cache-Control': 'integration.response.header.Cache-Control',
              'method.response.header.ETag': 'integration.response.header.ETag',
            },
          },
          {
            statusCode: '404',
            selectionPattern: '4\\d{2}',
            responseParameters: { 'method.response.header.Content-Type': "'text/plain; charset=utf-8'" },
            responseTemplates: { 'application/json': 'Not Found' },
          },
        ],
      },
    });
  }

  private publicMethod(
    resource: IResource,
    integration: Integration,
    options: Parameters<IResource['addMethod']>[2] = {},
    httpMethod = 'GET',
  ): Method {
    const method = resource.addMethod(httpMethod, integration, {
      ...options,
      authorizationType: AuthorizationType.NONE,
    });
    for (const rule of ['AwsSolutions-APIG4', 'AwsSolutions-COG4']) acknowledge(method, rule, PUBLIC_REASON);
    return method;
  }

  /** Adds the public methods' own throttling to the stage's method settings (after the stage-wide one). */
  private throttlePublicMethods(stage: Stage): void {
    const cfnStage = stage.node.defaultChild as CfnStage;
    const existing = Array.isArray(cfnStage.methodSettings) ? cfnStage.methodSettings : [];
    const { rateLimit, burstLimit } = publicDisclosure.throttle;
    const paths = [
      `${publicDisclosure.apiPath}/{proxy+}`,
      publicDisclosure.basePath,
      `${publicDisclosure.basePath}/{asset}`,
    ];
    cfnStage.methodSettings = [
      ...existing,
      ...paths.map((path) => ({
        httpMethod: 'GET',
        resourcePath: methodSettingPath(path),
        throttlingRateLimit: rateLimit,
        throttlingBurstLimit: burstLimit,
        // Execution logs of public requests carry no personal data either; bodies are never logged.
        loggingLevel: 'ERROR',
        dataTraceEnabled: false,
        metricsEnabled: true,
      })),
      {
        httpMethod: 'POST',
        resourcePath: methodSettingPath(`${publicDisclosure.apiPath}/{proxy+}`),
        throttlingRateLimit: publicDisclosure.commandThrottle.rateLimit,
        throttlingBurstLimit: publicDisclosure.commandThrottle.burstLimit,
        // A filing's body holds the filer's contact: never logged.
        loggingLevel: 'ERROR',
        dataTraceEnabled: false,
        metricsEnabled: true,
      },
    ];
  }

  /**
   * The BucketDeployment handler is a CDK singleton function at stack level (one per stack, whatever
   * the number of deployments): its findings are acknowledged there, each with its reason.
   */
  private acknowledgeDeploymentHandler(): void {
    const stack = Stack.of(this);
    const handler = stack.node.children.find((child) =>
      child.node.id.startsWith('Custom::CDKBucketDeployment'),
    );
    if (!handler) return;
    const reasons: Record<string, string> = {
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]':
        "CDK's BucketDeployment handler writes its logs with the AWS-managed basic execution policy; it runs only during deployments.",
      'AwsSolutions-L1':
        "The BucketDeployment handler's runtime is chosen by aws-cdk-lib and moves with its upgrades; it runs only while CloudFormation deploys the page.",
      'Serverless-LambdaLatestVersion':
        "The BucketDeployment handler's runtime is chosen by aws-cdk-lib and moves with its upgrades; it runs only while CloudFormation deploys the page.",
      'Serverless-LambdaDLQ':
        'Invoked synchronously by CloudFormation as a custom resource: a failure fails (and rolls back) the deployment, there is no event to dead-letter.',
      'Serverless-LambdaTracing':
        'A deployment-time custom resource run by CloudFormation, not a request path: X-Ray traces of it would show nothing operators act on.',
      ...Object.fromEntries(
        [
          'Action::s3:GetBucket*',
          'Action::s3:GetObject*',
          'Action::s3:List*',
          'Action::s3:Abort*',
          'Action::s3:DeleteObject*',
          'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
          `Resource::<${Stack.of(this).getLogicalId(this.siteBucket.node.defaultChild as CfnElement)}.Arn>/*`,
        ].map((finding) => [
          `AwsSolutions-IAM5[${finding}]`,
          "CDK's BucketDeployment handler copies the page's asset zip from the CDK asset bucket into the site bucket and prunes objects no longer in web/public/: object-level wildcards on exactly those two buckets.",
        ]),
      ),
    };
    for (const [rule, reason] of Object.entries(reasons)) acknowledge(handler as IConstruct, rule, reason);
  }
}

/** Method request and response declarations of an asset method (API Gateway maps only declared headers). */
function assetMethodOptions(fromPath: boolean): Parameters<IResource['addMethod']>[2] {
  const headers = {
    'method.response.header.Content-Type': true,
    'method.response.header.Cache-Control': true,
    'method.response.header.ETag': true,
  };
  return {
    requestParameters: {
      ...(fromPath ? { 'method.request.path.asset': true } : {}),
      'method.request.header.If-None-Match': false,
    },
    methodResponses: [
      { statusCode: '200', responseParameters: headers },
      {
        statusCode: '304',
        responseParameters: {
          'method.response.header.Cache-Control': true,
          'method.response.header.ETag': true,
        },
      },
      { statusCode: '404', responseParameters: { 'method.response.header.Content-Type': true } },
    ],
  };
}

/** The resource at `path` under `root`, created on first use. */
function resourceAt(root: IResource, path: string): IResource {
  let resource = root;
  for (const part of path.split('/').filter((segment) => segment !== '')) {
    resource = resource.getResource(part) ?? resource.addResource(part);
  }
  return resource;
}
