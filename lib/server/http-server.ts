import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { dispatchApiRequest } from '../api/dispatch.js';
import type { ApiContext } from '../api/service.js';

const MAX_BODY_BYTES = 2 * 1024 * 1024;

export interface HttpServerOptions {
  /** The built web console (dist/console): served to GET requests, the API staying POST /. None: no console. */
  readonly consoleDir?: string;
}

/** The Step Functions API over node:http: POST / with AWS JSON 1.0, as the AWS SDKs and CLI send it. */
export function createHttpServer(api: ApiContext, options: HttpServerOptions = {}): Server {
  const server = createServer((req, res) => {
    void handle(api, options, req, res).catch((error: unknown) => {
      console.error(JSON.stringify({ level: 'ERROR', message: 'request failed', error: error instanceof Error ? error.stack : String(error) }));
      if (!res.headersSent) send(res, 500, { __type: 'com.amazonaws.states#InternalFailure', message: 'An internal error occurred' });
    });
  });
  // SDK clients keep connections open between calls (keep-alive). Node closes an idle one after 5 s,
  // and a request the client sends on it just then fails with "socket hang up": keep them a minute.
  server.keepAliveTimeout = IDLE_CONNECTION_MS;
  server.headersTimeout = IDLE_CONNECTION_MS + 5_000;
  return server;
}

const IDLE_CONNECTION_MS = 60_000;

async function handle(api: ApiContext, options: HttpServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method === 'GET' && (req.url === '/health' || req.url === '/ping')) return send(res, 200, { status: 'ok' });
  if ((req.method === 'GET' || req.method === 'HEAD') && options.consoleDir !== undefined && (await serveConsole(options.consoleDir, req, res))) return;
  if (req.method !== 'POST') return send(res, 404, { __type: 'com.amazonaws.states#UnknownOperationException', message: `Cannot ${req.method} ${req.url}` });
  const body = await readBody(req);
  if (body === undefined) return send(res, 413, { __type: 'com.amazonaws.states#ValidationException', message: 'Request body too large' });
  const header = req.headers['x-amz-target'];
  const target = Array.isArray(header) ? header[0] : header;
  // A caller that hangs up ends its long poll (GetActivityTask), so no task is claimed for nobody.
  // Only a long poll listens: every other request answers at once.
  let gone: AbortController | undefined;
  if (target === LONG_POLL_TARGET) {
    const controller = (gone = new AbortController());
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
  }
  const { status, body: reply } = await dispatchApiRequest(api, target, body, gone?.signal);
  send(res, status, reply);
}

const LONG_POLL_TARGET = 'AWSStepFunctions.GetActivityTask';

/** The request's body as text; undefined past MAX_BODY_BYTES. Events rather than an async iterator: this runs for every request. */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

/** A file of the console's folder (`/` is its index.html); false when the path names none of them. */
async function serveConsole(dir: string, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const path = new URL(req.url ?? '/', 'http://console').pathname;
  const name = path === '/' ? 'index.html' : path.slice(1);
  // Only plain file names of that one folder: no path can climb out of it.
  if (!/^[\w-]+(\.[\w-]+)+$/.test(name) || CONTENT_TYPES[extname(name)] === undefined) return false;
  let body: Buffer;
  try {
    body = await readFile(join(dir, name));
  } catch {
    return false;
  }
  res.writeHead(200, { 'Content-Type': CONTENT_TYPES[extname(name)]!, 'Content-Length': body.length, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0', 'Content-Length': Buffer.byteLength(text), 'x-amzn-RequestId': crypto.randomUUID() });
  res.end(text);
}
