// A Lambda-compatible endpoint for the functions that run in this process: the Invoke REST API
// (`POST /2015-03-31/functions/{FunctionName}/invocations`) as @aws-sdk/client-lambda and the AWS CLI
// call it. For tests of code that calls Lambda through the SDK, and usable as a function's
// `endpoint` in stepwise.config.json.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_SECONDS, type HandlerRef } from '../integrations/config.js';
import type { LambdaHandler } from '../integrations/local-lambda.js';
import { createLocalLambdaService, errorResponse, invokeResponseHeaders, LambdaApiError, type InvokeOutput } from '../integrations/local-lambda-service.js';

export interface EmulatedFunction {
  /** `path/to/module.mjs#export` (relative to the working directory), a resolved reference, or the handler itself. */
  readonly handler: string | HandlerRef | LambdaHandler;
  /** Seconds (Lambda's default 3). */
  readonly timeout?: number;
  readonly memorySize?: number;
}

export interface LambdaEmulatorOptions {
  /** By function name or ARN. */
  readonly functions: Readonly<Record<string, EmulatedFunction>>;
  readonly port?: number;
  readonly host?: string;
  /** For the ARNs of functions named without one. */
  readonly region?: string;
  readonly accountId?: string;
}

export interface LambdaEmulator {
  readonly endpoint: string;
  close(): Promise<void>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

export async function startLambdaEmulator(options: LambdaEmulatorOptions): Promise<LambdaEmulator> {
  const service = createLocalLambdaService({
    functions: Object.fromEntries(Object.entries(options.functions).map(([key, fn]) => [key, {
      handler: typeof fn.handler === 'string' ? handlerRef(fn.handler) : fn.handler,
      timeout: fn.timeout ?? DEFAULT_TIMEOUT_SECONDS,
      memorySize: fn.memorySize ?? DEFAULT_MEMORY_MB,
    }])),
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.accountId === undefined ? {} : { accountId: options.accountId }),
  });

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, [['Content-Type', 'application/json'], ['x-amzn-ErrorType', 'ServiceException']], JSON.stringify({ Type: 'Service', Message: String(error) }));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = INVOKE_PATH.exec(url.pathname);
    const body = await readBody(req);
    if (req.method !== 'POST' || !match) {
      const { headers, body: text } = errorResponse(new LambdaApiError(404, 'UnknownOperationException', 'Unknown operation'));
      return send(res, 404, headers, text);
    }
    const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined);
    const qualifier = url.searchParams.get('Qualifier') ?? undefined;
    const invocationType = header('x-amz-invocation-type');
    const clientContext = header('x-amz-client-context');
    const logType = header('x-amz-log-type');
    let output: InvokeOutput;
    try {
      output = await service.invoke({
        functionName: decodeURIComponent(match[1]!),
        payload: body,
        ...(qualifier === undefined ? {} : { qualifier }),
        ...(invocationType === undefined ? {} : { invocationType }),
        ...(clientContext === undefined ? {} : { clientContext }),
        ...(logType === undefined ? {} : { logType }),
      });
    } catch (error) {
      if (!(error instanceof LambdaApiError)) throw error;
      const { headers, body: text } = errorResponse(error);
      return send(res, error.status, headers, text);
    }
    send(res, output.statusCode, invokeResponseHeaders(output), output.payload);
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolveListen());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    close: () => new Promise<void>((resolveClose) => {
      server.close(() => resolveClose());
      server.closeAllConnections();
    }),
  };
}

function handlerRef(spec: string): HandlerRef {
  const hash = spec.lastIndexOf('#');
  return hash < 0 ? { module: resolve(spec), export: 'handler' } : { module: resolve(spec.slice(0, hash)), export: spec.slice(hash + 1) };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, headers: [string, string][], body: string): void {
  res.statusCode = status;
  for (const [name, value] of headers) res.setHeader(name, value);
  res.end(body);
}
