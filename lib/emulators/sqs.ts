// SQS via fauxqs, in-process: it speaks SQS's JSON protocol (SDK v3). Pinned to 1.9.x: 2.x needs Node >= 22.5.
import { startFauxqs } from 'fauxqs';

export interface Sqs {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startSqs(options: { port?: number } = {}): Promise<Sqs> {
  const server = await startFauxqs({ port: options.port ?? 0, host: '127.0.0.1', logger: false });
  return { endpoint: `http://127.0.0.1:${server.port}`, stop: () => server.stop() };
}
