import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { observability } from '../../lib/platform/observability';
import { problemDetailsMiddleware } from '../shared/http';
import { createRouter } from './router';
import { routes } from './routes';

const { logger, metrics } = observability('api');
const dispatch = createRouter(routes);

/** The /v1 HTTP API behind API Gateway: routes in routes/, errors mapped to problem+json once here. */
export const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .use(problemDetailsMiddleware((error) => logger.error('Unhandled error', error as Error)))
  .handler(dispatch);
