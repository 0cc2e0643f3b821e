import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** The local stack's listeners, and the environment variable `npm start` reads each port from. */
export const portEnvironmentVariables = {
  api: 'JC_API_PORT',
  dynamodb: 'JC_DYNAMODB_PORT',
  s3: 'JC_S3_PORT',
  sqs: 'JC_SQS_PORT',
} as const;

export type PortName = keyof typeof portEnvironmentVariables;

export class PortInUseError extends Error {
  override name = 'PortInUseError';
  constructor(
    readonly portName: PortName,
    readonly port: number,
  ) {
    super(
      `Port ${port} for ${portName} is already in use. Stop whatever listens on it, or set ` +
        `${portEnvironmentVariables[portName]} to another port (0 picks a free one).`,
    );
  }
}

const LOOPBACK = '127.0.0.1';

function tryListen(port: number): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(undefined);
      else reject(error);
    });
    server.listen({ port, host: LOOPBACK, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : port;
      server.close(() => resolve(bound));
    });
  });
}

/** Ports below this are left to well-known services. */
const LOWEST_PICKED_PORT = 10_000;

/**
 * The range Linux takes ports from for outgoing connections (and for `listen(0)`). A free port
 * picked inside it can be taken by any client's connection before the emulator binds it.
 */
export function ephemeralPortRange(
  read: () => string = () => readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8'),
): { low: number; high: number } {
  try {
    const [low, high] = read().trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && Number.isInteger(high)) return { low: low as number, high: high as number };
  } catch {
    // Not Linux: assume the IANA dynamic range.
  }
  return { low: 49_152, high: 65_535 };
}

/**
 * A port that is free right now, picked below the ephemeral range so that only another listener,
 * not an outgoing connection, can take it before the caller binds it. Falls back to the OS's choice
 * when the ephemeral range leaves no room below it.
 */
export async function findFreePort(avoid: ReadonlySet<number> = new Set()): Promise<number> {
  const { low } = ephemeralPortRange();
  for (let attempt = 0; low - LOWEST_PICKED_PORT > 1_000 && attempt < 50; attempt++) {
    const candidate = randomInt(LOWEST_PICKED_PORT, low);
    if (!avoid.has(candidate) && (await tryListen(candidate)) !== undefined) return candidate;
  }
  const port = await tryListen(0);
  if (port === undefined) throw new Error('The OS found no free port');
  return port;
}

/** Throws PortInUseError naming the variable to change when `port` is taken. */
export async function assertPortFree(portName: PortName, port: number): Promise<void> {
  if ((await tryListen(port)) === undefined) throw new PortInUseError(portName, port);
}

/**
 * Turns requested ports into concrete ones: 0 picks a free port, a fixed port is checked up front so
 * that a conflict is reported before any emulator starts.
 */
export async function resolvePorts(requested: Record<PortName, number>): Promise<Record<PortName, number>> {
  const resolved = {} as Record<PortName, number>;
  const taken = new Set<number>();
  for (const name of Object.keys(requested) as PortName[]) {
    const wanted = requested[name];
    if (wanted === 0) {
      resolved[name] = await findFreePort(taken);
    } else {
      if (taken.has(wanted)) throw new PortInUseError(name, wanted);
      await assertPortFree(name, wanted);
      resolved[name] = wanted;
    }
    taken.add(resolved[name]);
  }
  return resolved;
}

/** Maps a listen error to PortInUseError when it is one. */
export function asPortError(portName: PortName, port: number, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EADDRINUSE' ? new PortInUseError(portName, port) : error;
}
