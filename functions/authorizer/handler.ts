import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { authorizeRequest } from '../../lib/auth/authorize';
import { observability } from '../../lib/platform/observability';
import { creditStore } from '../shared/dependencies';

const { logger } = observability('authorizer');

/**
 * REQUEST authorizer: resolves `Authorization: Bearer <key>` to the agency and roles of that key.
 * Throwing 'Unauthorized' is how a Lambda authorizer makes API Gateway answer 401.
 */
export const handler = middy<APIGatewayRequestAuthorizerEvent, APIGatewayAuthorizerResult>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const decision = await authorizeRequest(creditStore(), event.headers ?? {}, event.methodArn);
    if (!decision.ok) {
      logger.info('Request refused', { reason: decision.reason });
      throw new Error('Unauthorized');
    }
    return decision.result;
  });
