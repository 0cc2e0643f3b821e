import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { stageSettings } from '#infra/config';
import { PROBLEM_CONTENT_TYPE, problemType } from '#lib/http/problem';
import { api } from '#lib/platform/resources';
import { arnOf, defined, logicalId, ref, resourceOf, type Synthesized, synthesize } from './support';

/** Gateway response templates as API Gateway would render them, $context variables filled in. */
function renderTemplate(template: string): unknown {
  return JSON.parse(
    template
      .replace('$context.error.messageString', '"Unauthorized"')
      .replace(/\$context\.[A-Za-z.]+/g, 'context-value'),
  );
}

describe('Construct: CreditApi', () => {
  let synth: Synthesized;

  beforeAll(() => {
    synth = synthesize('dev');
  });

  const stageProperties = () =>
    resourceOf(synth.template, 'AWS::ApiGateway::Stage', synth.stack.api.restApi.deploymentStage).Properties;
  const methodProperties = (method: Parameters<typeof resourceOf>[2]) =>
    resourceOf(synth.template, 'AWS::ApiGateway::Method', method).Properties;

  describe('Stage', () => {
    it('is a regional endpoint (edge-optimised endpoints do not exist in the China regions)', () => {
      synth.template.hasResourceProperties('AWS::ApiGateway::RestApi', {
        Name: 'joint-credit-dev-api',
        EndpointConfiguration: { Types: ['REGIONAL'] },
      });
    });

    it('is named after the deployment stage', () => {
      expect(stageProperties().StageName).toBe('dev');
    });

    it('throttles every method at the rate and burst of the shared API settings', () => {
      expect(stageProperties().MethodSettings).toContainEqual(
        expect.objectContaining({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: api.throttle.rateLimit,
          ThrottlingBurstLimit: api.throttle.burstLimit,
        }),
      );
    });

    it('logs execution errors without request or response bodies', () => {
      expect(stageProperties().MethodSettings).toContainEqual(
        expect.objectContaining({ LoggingLevel: 'ERROR', DataTraceEnabled: false }),
      );
    });

    it('writes access logs to its own log group', () => {
      expect(stageProperties().AccessLogSetting).toMatchObject({
        DestinationArn: arnOf(synth.stack.api.accessLogGroup),
      });
    });

    it('writes access logs as JSON with request id, status, latency and authorizer error', () => {
      // Act
      const format = JSON.parse((stageProperties().AccessLogSetting as { Format: string }).Format);
      // Assess
      expect(format).toMatchObject({
        requestId: '$context.requestId',
        status: '$context.status',
        responseLatency: '$context.responseLatency',
        authorizerError: '$context.authorizer.error',
      });
    });

    it('logs the route template, never the concrete path that can hold a person ID', () => {
      // Act
      const format = (stageProperties().AccessLogSetting as { Format: string }).Format;
      // Assess
      expect(JSON.parse(format)).toMatchObject({ resourcePath: '$context.resourcePath' });
      expect(format).not.toContain('$context.path');
    });

    it('keeps access logs for the stage retention', () => {
      expect(
        resourceOf(synth.template, 'AWS::Logs::LogGroup', synth.stack.api.accessLogGroup).Properties,
      ).toMatchObject({ RetentionInDays: 30 });
    });

    it('has X-Ray tracing enabled', () => {
      expect(stageProperties().TracingEnabled).toBe(true);
    });
  });

  describe('Authorizer', () => {
    it('is a REQUEST authorizer on the Authorization header', () => {
      synth.template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
        Type: 'REQUEST',
        IdentitySource: 'method.request.header.Authorization',
      });
    });

    it("caches results for the stage's cache time (the longest a revoked key keeps working)", () => {
      synth.template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
        AuthorizerResultTtlInSeconds: stageSettings('dev').authorizerCacheSeconds,
      });
    });

    it('runs the authorizer function', () => {
      synth.template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
        AuthorizerUri: Match.objectLike({
          'Fn::Join': Match.arrayWith([
            Match.arrayWith([
              arnOf(defined(synth.stack.api.authorizerFunction, 'authorizer function').function),
            ]),
          ]),
        }),
      });
    });
  });

  describe('Routes', () => {
    it('has only the proxy method and the public routes', () => {
      // …and the public disclosure's (asserted in public-disclosure.test.ts): its page methods and its API
      // proxy's GET (reads) and POST (public filings).
      const publicDisclosure = synth.stack.publicDisclosure.pageMethods.length + 2;
      synth.template.resourceCountIs(
        'AWS::ApiGateway::Method',
        1 + api.publicRoutes.length + publicDisclosure,
      );
    });

    it(`proxies ANY ${api.basePath}/{proxy+} to the api function`, () => {
      // Prepare
      const proxy = synth.stack.api.proxyMethod;
      // Assess
      expect(proxy.httpMethod).toBe('ANY');
      expect(proxy.resource.path).toBe(`${api.basePath}/{proxy+}`);
      expect(methodProperties(proxy).Integration).toMatchObject({
        Type: 'AWS_PROXY',
        IntegrationHttpMethod: 'POST',
        Uri: expect.anything(),
      });
      expect(JSON.stringify(methodProperties(proxy).Integration)).toContain(
        logicalId(synth.stack.api.apiFunction.function),
      );
    });

    it('puts the authorizer on the proxy method', () => {
      expect(methodProperties(synth.stack.api.proxyMethod)).toMatchObject({
        AuthorizationType: 'CUSTOM',
        AuthorizerId: ref(defined(synth.stack.api.authorizer, 'authorizer')),
      });
    });

    it('validates requests to the proxy method, requiring the Authorization header', () => {
      expect(methodProperties(synth.stack.api.proxyMethod)).toMatchObject({
        RequestValidatorId: ref(synth.stack.api.requestValidator),
        RequestParameters: { 'method.request.header.Authorization': true },
      });
      synth.template.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
        ValidateRequestBody: true,
        ValidateRequestParameters: true,
      });
    });

    it.each(api.publicRoutes.map((route) => [route]))('serves %s without authorizer', (route) => {
      // Prepare
      const [httpMethod, path] = route.split(' ');
      const method = synth.stack.api.publicMethods.find(
        (m) => m.httpMethod === httpMethod && m.resource.path === path,
      );
      // Assess
      expect(method).toBeDefined();
      const properties = methodProperties(method!);
      expect(properties.AuthorizationType).toBe('NONE');
      expect(properties.AuthorizerId).toBeUndefined();
    });

    it('lets API Gateway invoke the api function only for this API', () => {
      synth.template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: arnOf(synth.stack.api.apiFunction.function),
        Principal: 'apigateway.amazonaws.com',
        SourceArn: Match.objectLike({
          'Fn::Join': Match.arrayWith([Match.arrayWith([ref(synth.stack.api.restApi)])]),
        }),
      });
    });
  });

  describe('Gateway responses', () => {
    const responses = [
      ['UNAUTHORIZED', '401', 'UNAUTHORIZED'],
      ['ACCESS_DENIED', '403', 'FORBIDDEN'],
      ['DEFAULT_4XX', undefined, 'REQUEST_REJECTED'],
      ['DEFAULT_5XX', undefined, 'GATEWAY_ERROR'],
    ] as const;
    const gatewayResponse = (type: string) => {
      const found = Object.values(synth.template.findResources('AWS::ApiGateway::GatewayResponse')).find(
        (resource) => resource.Properties.ResponseType === type,
      );
      if (found === undefined) throw new Error(`No gateway response for ${type}`);
      return found.Properties as {
        StatusCode?: string;
        ResponseParameters: Record<string, string>;
        ResponseTemplates: Record<string, string>;
      };
    };

    it.each(responses)('answers %s as application/problem+json', (type) => {
      expect(gatewayResponse(type).ResponseParameters['gatewayresponse.header.Content-Type']).toBe(
        `'${PROBLEM_CONTENT_TYPE}'`,
      );
    });

    it.each(responses)('answers %s with status %s', (type, status) => {
      expect(gatewayResponse(type).StatusCode).toBe(status);
    });

    it.each(responses)('answers %s with an RFC 9457 body whose stable code is %s', (type, _status, code) => {
      // Act
      const body = renderTemplate(gatewayResponse(type).ResponseTemplates['application/json'] ?? '');
      // Assess
      expect(body).toMatchObject({
        type: problemType(code),
        code,
        title: expect.any(String),
        detail: expect.any(String),
      });
    });

    it('tells a caller without a valid key how to authenticate', () => {
      expect(
        gatewayResponse('UNAUTHORIZED').ResponseParameters['gatewayresponse.header.WWW-Authenticate'],
      ).toBe(`'Bearer realm="joint-credit"'`);
    });
  });
});
