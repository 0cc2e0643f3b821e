import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { PROBLEM_CONTENT_TYPE, problemType } from '#lib/http/problem';
import { asPortError } from '../emulators/ports';
import { describeError, type LocalLogger } from '../log';
import type { LocalHttpRequest, LocalHttpResponse } from './http-types';

/**
 * The local API endpoint: node:http on 127.0.0.1. It listens from the first moment of start-up
 * (so a taken port is found at once) and answers 503 until the stack is ready — something API
 * Gateway never needs; after that every request goes through the gateway pipeline.
 */
export interface LocalApiServer {
  readonly port: number;
  readonly url: string;
  /** Routes requests to `dispatch` from now on. */
  setReady(dispatch: (request: LocalHttpRequest) => Promise<LocalHttpResponse>): void;
  stop(): Promise<void>;
}

/** API Gateway's payload limit. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

class BodyTooLargeError extends Error {}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLargeError());
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function problemResponse(status: number, code: string, title: string, detail: string): LocalHttpResponse {
  return {
    statusCode: status,
    headers: [['Content-Type', PROBLEM_CONTENT_TYPE]],
    body: Buffer.from(JSON.stringify({ type: problemType(code), title, status, code, detail })),
  };
}

function send(response: ServerResponse, result: LocalHttpResponse): void {
  const grouped = new Map<string, string[]>();
  for (const [name, value] of result.headers) {
    const key = [...grouped.keys()].find((existing) => existing.toLowerCase() === name.toLowerCase()) ?? name;
    grouped.set(key, [...(grouped.get(key) ?? []), value]);
  }
  for (const [name, values] of grouped)
    response.setHeader(name, values.length === 1 ? (values[0] as string) : values);
  response.setHeader('Content-Length', result.body.length);
  response.writeHead(result.statusCode);
  response.end(result.body);
}

export async function startLocalApiServer(options: {
  port: number;
  logger: LocalLogger;
}): Promise<LocalApiServer> {
  let dispatch: ((request: LocalHttpRequest) => Promise<LocalHttpResponse>) | undefined;

  const server: Server = createServer(async (request, response) => {
    try {
      if (!dispatch) {
        send(
          response,
          problemResponse(
            503,
            'STACK_NOT_READY',
            'Service Unavailable',
            'The local stack is still starting; retry in a moment.',
          ),
        );
        request.resume();
        return;
      }
      let body: Buffer;
      try {
        body = await readBody(request);
      } catch (error) {
        if (error instanceof BodyTooLargeError) {
          send(response, problemResponse(413, 'REQUEST_REJECTED', 'Request Rejected', 'Request Too Long'));
          return;
        }
        throw error;
      }
      const headers: [string, string][] = [];
      for (let index = 0; index + 1 < request.rawHeaders.length; index += 2) {
        headers.push([request.rawHeaders[index] as string, request.rawHeaders[index + 1] as string]);
      }
      const result = await dispatch({
        method: request.method ?? 'GET',
        url: request.url ?? '/',
        headers,
        body,
        sourceIp: (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
        ...(request.headers.host ? { host: request.headers.host } : {}),
      });
      send(response, result);
    } catch (error) {
      options.logger.error('The local API server failed a request', describeError(error));
      if (!response.headersSent) {
        send(response, problemResponse(500, 'GATEWAY_ERROR', 'Gateway Error', 'Internal server error'));
      } else {
        response.destroy();
      }
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(asPortError('api', options.port, error)));
    server.listen({ port: options.port, host: '127.0.0.1', exclusive: true }, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  let stopped = false;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    setReady: (handler) => {
      dispatch = handler;
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      server.closeIdleConnections();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Requests still running get a moment, then their connections are cut.
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      });
    },
  };
}
