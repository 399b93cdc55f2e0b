import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Engine } from './engine';

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Listens on the configured host and port. A busy port is an error that says so; the engine never looks for,
 * or touches, whatever process holds it (the prototype killed it).
 */
export function listen(engine: Engine): Promise<RunningServer> {
  const { host, port } = engine.config;
  return new Promise((resolve, reject) => {
    let server: ServerType;
    const onError = (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(new Error(`port ${port} on ${host} is already in use by another program; choose another with --port (or --port 0 for any free port)`));
      } else if (err.code === 'EACCES') {
        reject(new Error(`not allowed to listen on ${host}:${port}; choose a port above 1024 with --port`));
      } else {
        reject(err);
      }
    };
    server = serve({ fetch: engine.app.fetch, hostname: host, port }, (info: AddressInfo) => {
      server.off('error', onError);
      const shownHost = host.includes(':') ? `[${host}]` : host;
      resolve({
        url: `http://${shownHost}:${info.port}`,
        port: info.port,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
    server.once('error', onError);
  });
}
