import type { Route } from '../router';

/** Watches, alerts (issue 4). */
export const watchRoutes: Route[] = [];
