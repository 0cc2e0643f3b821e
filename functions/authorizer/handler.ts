import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { authorizeRequest } from '#lib/auth/authorize';
import { createAuthorizerDependencies } from './dependencies';
import { withUsageKey } from './usage-key';

const deps = createAuthorizerDependencies();

/**
 * REQUEST authorizer: resolves `Authorization: Bearer <key>` to the agency and roles of that key.
 * Throwing 'Unauthorized' is how a Lambda authorizer makes API Gateway answer 401.
 */
export const handler = middy<APIGatewayRequestAuthorizerEvent, APIGatewayAuthorizerResult>()
  .use(injectLambdaContext(deps.logger))
  .use(captureLambdaHandler(deps.tracer))
  .handler(async (event) => {
    const decision = await authorizeRequest(
      deps.apiKeys,
      event.headers,
      event.methodArn,
      event.multiValueHeaders,
    );
    if (!decision.ok) {
      deps.logger.info('Request refused', { reason: decision.reason });
      throw new Error('Unauthorized');
    }
    return withUsageKey(decision.result);
  });
