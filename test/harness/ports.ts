/** Free TCP ports on the loopback interface for the test servers. */
import { createServer } from 'node:net';
import type { Server } from 'node:net';

/**
 * Returns `count` distinct ports that were free on 127.0.0.1 a moment ago: all are held open at
 * once (so they differ), then released for the servers to bind. Another process can still take one
 * in between; the starters retry with fresh ports when a server reports "address already in use".
 */
export async function findFreePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('no TCP port assigned');
      ports.push(address.port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

/** Whether a server's log says its port was taken. */
export function isAddressInUse(logText: string): boolean {
  return /address already in use/i.test(logText);
}
