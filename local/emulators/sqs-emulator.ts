import { buildApp } from 'fauxqs';
import { asPortError } from './ports';

/**
 * fauxqs 1.9 (SQS over the SDK's JSON protocol), bound to 127.0.0.1 — its `startFauxqs()` listens on
 * every interface. Everything is in memory: queues are recreated empty on every start, and messages
 * still queued or in flight when the stack stops are lost.
 *
 * Queue URLs look like `http://sqs.<region>.localhost:<port>/000000000000/<name>`; they are
 * identifiers, and clients must set `endpoint` explicitly (lib/aws/clients.ts does) so that the SDK
 * does not try to reach the URL's host.
 */
export interface SqsEmulator {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

export async function startSqsEmulator(options: { port: number; region: string }): Promise<SqsEmulator> {
  const app = buildApp({ logger: false, defaultRegion: options.region });
  let address: string;
  try {
    address = await app.listen({ port: options.port, host: '127.0.0.1' });
  } catch (error) {
    await app.close().catch(() => undefined);
    throw asPortError('sqs', options.port, error);
  }
  const port = Number(new URL(address).port);
  let stopped = false;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await app.close();
    },
  };
}
