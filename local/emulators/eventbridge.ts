import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { eventBus, resourceName } from '#lib/platform/resources';

/**
 * A tiny EventBridge for the local stack: PutEvents over the SDK's JSON 1.1 protocol, recording every
 * accepted event in memory, so that handlers use the real @aws-sdk/client-eventbridge through
 * AWS_ENDPOINT_URL_EVENTBRIDGE. No rules or targets: tests and developers read what was published
 * (`events()`, or `GET /_local/events` on the endpoint). Entries are checked as EventBridge checks
 * them (bus exists, Source, DetailType, Detail a JSON object, 256 KB), per entry, with
 * FailedEntryCount — the partial failure the publisher has to handle.
 */
export const localEventBusName = resourceName('local', eventBus.nameSuffix);

export interface RecordedEvent {
  readonly eventId: string;
  readonly receivedAt: string;
  readonly eventBusName: string;
  readonly source: string;
  readonly detailType: string;
  readonly detail: Record<string, unknown>;
  readonly time?: string;
  readonly resources: string[];
}

export interface EventBridgeEmulator {
  readonly endpoint: string;
  readonly port: number;
  /** Every accepted event, oldest first. */
  events(): RecordedEvent[];
  clear(): void;
  /** Makes the next `count` PutEvents calls answer every entry with InternalFailure (tests). */
  failNextPutEvents(count: number): void;
  stop(): Promise<void>;
}

const MAX_ENTRY_BYTES = 256 * 1024;
const JSON_11 = 'application/x-amz-json-1.1';

interface EntryInput {
  EventBusName?: string;
  Source?: string;
  DetailType?: string;
  Detail?: string;
  Time?: number | string;
  Resources?: string[];
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': JSON_11, 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function error(response: ServerResponse, status: number, type: string, message: string): void {
  send(response, status, { __type: type, message });
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The bus name of an ARN or a plain name. */
function busNameOf(value: string | undefined): string {
  if (!value) return 'default';
  return value.startsWith('arn:') ? (value.split('/').pop() ?? value) : value;
}

export async function startEventBridgeEmulator(
  options: { port?: number; busNames?: readonly string[] } = {},
): Promise<EventBridgeEmulator> {
  const buses = new Set(['default', ...(options.busNames ?? [localEventBusName])]);
  const recorded: RecordedEvent[] = [];
  let failuresLeft = 0;

  const validate = (entry: EntryInput): { code: string; message: string } | undefined => {
    if (!buses.has(busNameOf(entry.EventBusName)))
      return { code: 'NotFoundException', message: `Event bus ${entry.EventBusName} does not exist.` };
    if (!entry.Source) return { code: 'InvalidArgument', message: 'Parameter Source is not valid.' };
    if (!entry.DetailType) return { code: 'InvalidArgument', message: 'Parameter DetailType is not valid.' };
    if (Buffer.byteLength(JSON.stringify(entry)) > MAX_ENTRY_BYTES)
      return { code: 'InvalidArgument', message: 'Entry size exceeds 256 KB.' };
    try {
      const detail: unknown = JSON.parse(entry.Detail ?? '');
      if (typeof detail !== 'object' || detail === null || Array.isArray(detail))
        throw new Error('not an object');
    } catch {
      return { code: 'MalformedDetail', message: 'Detail is malformed.' };
    }
    return undefined;
  };

  const putEvents = (input: { Entries?: EntryInput[] }, response: ServerResponse) => {
    const entries = input.Entries ?? [];
    if (entries.length === 0 || entries.length > 10) {
      return error(
        response,
        400,
        'ValidationException',
        `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and 10`,
      );
    }
    const failAll = failuresLeft > 0;
    if (failAll) failuresLeft -= 1;
    const results = entries.map((entry) => {
      if (failAll)
        return { ErrorCode: 'InternalFailure', ErrorMessage: 'Injected failure (local emulator).' };
      const problem = validate(entry);
      if (problem) return { ErrorCode: problem.code, ErrorMessage: problem.message };
      const eventId = randomUUID();
      recorded.push({
        eventId,
        receivedAt: new Date().toISOString(),
        eventBusName: busNameOf(entry.EventBusName),
        source: entry.Source as string,
        detailType: entry.DetailType as string,
        detail: JSON.parse(entry.Detail as string) as Record<string, unknown>,
        ...(entry.Time !== undefined
          ? {
              time: new Date(typeof entry.Time === 'number' ? entry.Time * 1000 : entry.Time).toISOString(),
            }
          : {}),
        resources: entry.Resources ?? [],
      });
      return { EventId: eventId };
    });
    send(response, 200, {
      FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length,
      Entries: results,
    });
  };

  const server = createServer((request, response) => {
    void (async () => {
      if (request.method === 'GET' && request.url === '/_local/events') return send(response, 200, recorded);
      if (request.method !== 'POST') return error(response, 405, 'UnknownOperationException', 'POST only');
      const target = String(request.headers['x-amz-target'] ?? '');
      let input: unknown;
      try {
        input = JSON.parse((await readBody(request)) || '{}');
      } catch {
        return error(response, 400, 'SerializationException', 'The request body is not JSON.');
      }
      if (target === 'AWSEvents.PutEvents') return putEvents(input as { Entries?: EntryInput[] }, response);
      if (target === 'AWSEvents.ListEventBuses') {
        return send(response, 200, { EventBuses: [...buses].map((Name) => ({ Name })) });
      }
      return error(response, 400, 'UnknownOperationException', `${target} is not emulated locally.`);
    })().catch((cause: unknown) => error(response, 500, 'InternalException', String(cause)));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? 0, host: '127.0.0.1' }, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    events: () => [...recorded],
    clear: () => {
      recorded.length = 0;
    },
    failNextPutEvents: (count) => {
      failuresLeft = count;
    },
    stop: () => {
      stopped ??= new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      return stopped;
    },
  };
}
