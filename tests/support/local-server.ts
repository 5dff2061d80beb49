import type { AddressInfo } from 'node:net';
import { createHttpServer, type HttpServerOptions } from '../../lib/server/http-server.js';
import { createLocalStepwise, type LocalOptions } from '../../lib/server/local-stepwise.js';

/** The local server on a free port, as `npm start` runs it. */
export async function startLocalServer(options: LocalOptions = {}, http: HttpServerOptions = {}): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const local = createLocalStepwise(options);
  const server = createHttpServer(local.api, http);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        local.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
