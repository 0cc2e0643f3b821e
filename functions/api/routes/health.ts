import { z } from 'zod';
import { json } from '#functions/shared/http';
import { defineRoute } from '../router';

export const healthRoutes = [
  defineRoute({
    method: 'GET',
    path: '/v1/health',
    summary: 'Liveness and readiness: answers 200 when the table answers',
    public: true,
    success: {
      status: 200,
      description: 'The platform is ready',
      schema: z.object({ status: z.literal('ok'), stage: z.string(), time: z.string() }),
    },
    handle: async ({ deps }) => {
      // Reading one item proves the table answers; the result itself does not matter.
      await deps.subjects.getItem('HEALTH', 'HEALTH');
      return json(200, {
        status: 'ok',
        stage: process.env.STAGE ?? 'unknown',
        time: deps.clock.now().toISOString(),
      });
    },
  }),
];
