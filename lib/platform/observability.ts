import { LogFormatter, Logger, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { maskPersonalData } from '../privacy/mask-personal';
import { metrics as metricDefinitions } from './resources';

export interface Observability {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tracer: Tracer;
}

const instances = new Map<string, Observability>();

/**
 * Powertools' standard log structure, with every line through the one masking step: anything shaped
 * like a resident ID is masked wherever it is — a message, an attribute, a subject key, an error's
 * message or stack. No full ID in any log line, whoever logs it.
 */
export class MaskingLogFormatter extends LogFormatter {
  override formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    const base: LogAttributes = {
      level: attributes.logLevel,
      message: attributes.message,
      timestamp: this.formatTimestamp(attributes.timestamp),
      service: attributes.serviceName,
      cold_start: attributes.lambdaContext?.coldStart,
      function_arn: attributes.lambdaContext?.invokedFunctionArn,
      function_memory_size: attributes.lambdaContext?.memoryLimitInMB,
      function_name: attributes.lambdaContext?.functionName,
      function_request_id: attributes.lambdaContext?.awsRequestId,
      sampling_rate: attributes.sampleRateValue,
      xray_trace_id: attributes.xRayTraceId,
    };
    // Errors become plain attributes first, so that their message and stack are masked too.
    const extra = Object.fromEntries(
      Object.entries(additional).map(([key, value]) => [
        key,
        value instanceof Error ? this.formatError(value) : value,
      ]),
    );
    return new LogItem({ attributes: maskPersonalData({ ...base, ...extra }, { idShaped: true }) });
  }
}

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
    const logger = new Logger({ serviceName, logFormatter: new MaskingLogFormatter() });
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
