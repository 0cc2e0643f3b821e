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
 * The logger Metrics reports its own problems to. It forwards everything but the notice that an
 * invocation added no metric: most invocations (a health probe, a batch with nothing new) have
 * none by design, and that notice on every one of them buries the warnings that matter.
 */
function metricsLogger(logger: Logger) {
  return {
    debug: (...args: unknown[]) => logger.debug(String(args[0]), ...args.slice(1).map((arg) => ({ arg }))),
    info: (...args: unknown[]) => logger.info(String(args[0]), ...args.slice(1).map((arg) => ({ arg }))),
    error: (...args: unknown[]) => logger.error(String(args[0]), ...args.slice(1).map((arg) => ({ arg }))),
    warn: (...args: unknown[]) => {
      if (String(args[0]).startsWith('No application metrics to publish')) return;
      logger.warn(String(args[0]), ...args.slice(1).map((arg) => ({ arg })));
    },
  };
}

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
      metrics: new Metrics({
        namespace: metricDefinitions.namespace,
        serviceName,
        logger: metricsLogger(logger),
      }),
      tracer: new Tracer({ serviceName }),
    };
    instances.set(serviceName, instance);
  }
  return instance;
}
