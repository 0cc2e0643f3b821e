import { z } from 'zod';
import { type OpenApiDocument, openApiDocument } from '../../../lib/contract/openapi';
import { json } from '../../shared/http';
import { defineRoute, type Route } from '../router';
import { routes } from './index';

let document: OpenApiDocument | undefined;

/** OpenAPI document (issue 4): generated once per container from the declarations of every route. */
export const contractRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    path: '/v1/openapi.json',
    summary: 'The OpenAPI 3.1 document of this API, generated from the same schemas that validate requests',
    public: true,
    success: {
      status: 200,
      description: 'The OpenAPI 3.1 document',
      schema: z.object({ openapi: z.literal('3.1.0') }).loose(),
    },
    handle: async () => {
      // `routes` is read at call time: index.ts imports this module before it builds the list.
      document ??= openApiDocument(routes);
      return json(200, document, { 'cache-control': 'public, max-age=300' });
    },
  }),
];
