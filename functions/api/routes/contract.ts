import { z } from 'zod';
import { json } from '#functions/shared/http';
import { type OpenApiDocument, openApiDocument } from '#lib/contract/openapi';
import { defineRoute, type Route } from '../router';

let document: OpenApiDocument | undefined;

/**
 * The OpenAPI document, generated once per container from the declarations of every route. The list is
 * passed as a function because it includes this route.
 */
export function contractRoutes(allRoutes: () => readonly Route[]): Route[] {
  return [
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
        document ??= openApiDocument(allRoutes());
        return json(200, document, { 'cache-control': 'public, max-age=300' });
      },
    }),
  ];
}
