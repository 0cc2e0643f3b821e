import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { createApiDependencies } from '#functions/api/dependencies';
import { problemFor } from '#functions/api/problems';
import { createRouter } from '#functions/api/router';
import { routes } from '#functions/api/routes/index';
import { problemDetailsMiddleware } from '#functions/shared/http';
import type { Clock } from '#lib/clock/clock';

/**
 * The api function with its clock pinned through the composition root, for the local stack's
 * `handlers`. Built on first use: the stack sets TABLE_NAME, BUCKET_NAME and EVENT_BUS_NAME when it starts.
 */
export function apiHandlerWithClock(clock: Clock) {
  let dispatch: ((event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>) | undefined;
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(problemDetailsMiddleware(() => undefined, problemFor))
    .handler((event) => {
      dispatch ??= createRouter(routes, createApiDependencies({ clock }));
      return dispatch(event);
    });
}
