import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ephemeralPortRange, findFreePort, PortInUseError, resolvePorts } from '#local/emulators/ports';

describe('Local ports', () => {
  describe('Function: ephemeralPortRange', () => {
    it('reads the kernel range of outgoing-connection ports', () => {
      expect(ephemeralPortRange(() => '32768\t60999\n')).toEqual({ low: 32768, high: 60999 });
    });

    it('assumes the IANA dynamic range where there is no such file', () => {
      const missing = () => {
        throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      };
      expect(ephemeralPortRange(missing)).toEqual({ low: 49152, high: 65535 });
    });
  });

  describe('Function: findFreePort', () => {
    it('picks a port below the ephemeral range, so no outgoing connection can take it first', async () => {
      const { low } = ephemeralPortRange();
      for (let index = 0; index < 20; index++) {
        const port = await findFreePort();
        expect(port).toBeGreaterThanOrEqual(10_000);
        expect(port).toBeLessThan(low);
      }
    });

    it('never picks a port it is told to avoid', async () => {
      const first = await findFreePort();
      const avoid = new Set([first]);
      for (let index = 0; index < 20; index++) expect(await findFreePort(avoid)).not.toBe(first);
    });
  });

  describe('Function: resolvePorts', () => {
    it('gives every listener its own port', async () => {
      const ports = await resolvePorts({ api: 0, dynamodb: 0, s3: 0, sqs: 0 });
      expect(new Set(Object.values(ports)).size).toBe(4);
    });

    it('names the variable to change when a fixed port is taken', async () => {
      const server = createServer();
      await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1' }, resolve));
      const port = (server.address() as { port: number }).port;
      try {
        const resolving = resolvePorts({ api: 0, dynamodb: 0, s3: 0, sqs: port });
        await expect(resolving).rejects.toThrow(PortInUseError);
        await expect(resolving).rejects.toThrow(/JC_SQS_PORT/);
      } finally {
        server.close();
      }
    });
  });
});
