import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { performCheck } from '../../../lib/check/perform-check';
import { type CheckRequest, checkRequestSchema } from '../../../lib/check/request';
import { observability } from '../../../lib/platform/observability';
import { metrics as metricDefinitions } from '../../../lib/platform/resources';
import { creditStore } from '../../shared/dependencies';
import { json } from '../../shared/http';
import { defineRoute } from '../router';

export const checkRoutes = [
  defineRoute<CheckRequest>({
    method: 'POST',
    path: '/v1/checks',
    summary: 'One-click credit check of a subject for a matter: list hits and records in display',
    body: checkRequestSchema,
    success: { status: 201, description: 'The stored check with its hits and records' },
    handle: async ({ caller, body }) => {
      const result = await performCheck({ store: creditStore() }, caller, body);
      observability('api').metrics.addMetric(metricDefinitions.names.checksCompleted, MetricUnit.Count, 1);
      return json(201, result, { location: `/v1/checks/${result.checkId}` });
    },
  }),
];
