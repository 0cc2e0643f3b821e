import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { metrics as metricDefinitions } from './resources';

export interface Observability {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tracer: Tracer;
}

const instances = new Map<string, Observability>();

/**
 * Powertools instances, created once per function (service) and shared by its modules, so that a
 * route can add a metric that the handler's middleware flushes.
 */
export function observability(serviceName: string): Observability {
  let instance = instances.get(serviceName);
  if (!instance) {
    const logger = new Logger({ serviceName });
    instance = {
      logger,
      // Metrics warnings go through the structured logger instead of bare console lines.
      metrics: new Metrics({ namespace: metricDefinitions.namespace, serviceName, logger }),
      tracer: new Tracer({ serviceName }),
    };
    instances.set(serviceName, instance);
  }
  return instance;
}
