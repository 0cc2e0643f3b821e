import type { Route } from '../router';

/** Calendar and statistics (issue 5). */
export const deadlineRoutes: Route[] = [];
