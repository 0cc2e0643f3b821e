import type { Route } from '../router';

/** OpenAPI document (issue 4). */
export const contractRoutes: Route[] = [];
