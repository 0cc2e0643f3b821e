import type { Route } from '../router';

/** Ingestion jobs (issue 3). */
export const ingestionRoutes: Route[] = [];
