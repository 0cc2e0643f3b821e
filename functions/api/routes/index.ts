import type { Route } from '../router';
import { checkRoutes } from './checks';
import { contractRoutes } from './contract';
import { deadlineRoutes } from './deadlines';
import { healthRoutes } from './health';
import { ingestionRoutes } from './ingestion';
import { objectionRoutes } from './objections';
import { publicRoutes } from './public';
import { referenceRoutes } from './reference';
import { repairRoutes } from './repair';
import { watchRoutes } from './watches';
import { withdrawalRoutes } from './withdrawals';

/** Every route of the /v1 API, one module per area. */
export const routes: readonly Route[] = [
  ...healthRoutes,
  ...checkRoutes,
  ...ingestionRoutes,
  ...referenceRoutes,
  ...watchRoutes,
  ...deadlineRoutes,
  ...contractRoutes(() => routes),
  ...publicRoutes,
  ...objectionRoutes,
  ...withdrawalRoutes,
  ...repairRoutes,
];
