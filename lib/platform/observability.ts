import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/** Powertools instances, created once per function and shared by its modules. */
export function createObservability(serviceName: string) {
  const logger = new Logger({ serviceName });
  const metrics = new Metrics({ namespace: 'JointCredit', serviceName });
  const tracer = new Tracer({ serviceName });
  return { logger, metrics, tracer };
}
