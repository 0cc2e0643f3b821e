import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { problemDetailsMiddleware } from '../shared/http';
import { createApiDependencies } from './dependencies';
import { problemFor } from './problems';
import { createRouter } from './router';
import { routes } from './routes';

const deps = createApiDependencies();
const dispatch = createRouter(routes, deps);

/** The /v1 HTTP API behind API Gateway: routes in routes/, errors mapped to problem+json once here. */
export const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
  .use(injectLambdaContext(deps.logger))
  .use(captureLambdaHandler(deps.tracer))
  .use(logMetrics(deps.metrics))
  .use(problemDetailsMiddleware((error) => deps.logger.error('Unhandled error', error as Error), problemFor))
  .handler(dispatch);
