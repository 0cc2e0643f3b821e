import type { Route } from '../router';

/** Reference data and subjects (issue 4). */
export const referenceRoutes: Route[] = [];
