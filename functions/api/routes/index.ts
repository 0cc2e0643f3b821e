import type { Route } from '../router';
import { checkRoutes } from './checks';
import { healthRoutes } from './health';

/** Every route of the /v1 API, one module per area. */
export const routes: readonly Route[] = [...healthRoutes, ...checkRoutes];
