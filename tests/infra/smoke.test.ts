import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadIntegrationsConfig } from '../../lib/integrations/config.js';
import { createTaskInvoker, type IntegrationsTaskInvoker } from '../../lib/integrations/invoker.js';
import { startLocalServer } from '../support/local-server.js';

/** `npm run smoke -- --endpoint …` against the local server, as `npm start` runs it (the root stepwise.config.json). */
function smoke(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; lines: Record<string, any>[]; stderr: string }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['scripts/smoke.mjs', ...args], { cwd: resolve('.'), env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stderr, lines: out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) }));
  });
}

describe('scripts/smoke.mjs', () => {
  let server: { endpoint: string; stop(): Promise<void> };
  let tasks: IntegrationsTaskInvoker;

  beforeAll(async () => {
    tasks = createTaskInvoker({ config: loadIntegrationsConfig(resolve('stepwise.config.json')), region: 'us-east-1' });
    server = await startLocalServer({ tasks, activityPollMs: 1000 });
  });
  afterAll(async () => {
    await server?.stop();
    tasks?.close();
  });

  it('runs the Lambda, Retry/Catch and callback flows and reports each', async () => {
    const { code, lines, stderr } = await smoke(['--endpoint', server.endpoint, '--timeout', '30']);
    expect(code, stderr).toBe(0);
    const byFlow = Object.fromEntries(lines.filter((l) => l['flow']).map((l) => [l['flow'], l]));
    expect(byFlow['lambda']).toMatchObject({ status: 'SUCCEEDED', ok: true, output: { orderId: 'smoke-1', itemCount: 5, total: 12.6, pricedBy: 'MyFunction' } });
    expect(byFlow['retry-catch']).toMatchObject({ status: 'SUCCEEDED', ok: true, attempts: 2, output: { caught: true, error: 'InvalidOrder' } });
    expect(byFlow['callback']).toMatchObject({ status: 'SUCCEEDED', ok: true, output: { decision: 'APPROVED', answer: { approved: true } } });
    expect(lines.at(-1)).toMatchObject({ summary: '3 passed, 0 failed', ok: true });
  }, 60_000);

  it('reports a flow that fails and exits 1 (a function that does not exist)', async () => {
    const { code, lines } = await smoke(['--endpoint', server.endpoint, '--flows', 'lambda', '--function-arn', 'arn:aws:lambda:us-east-1:123456789012:function:Nope', '--timeout', '30']);
    expect(code).toBe(1);
    expect(lines[0]).toMatchObject({ flow: 'lambda', ok: false });
    expect(lines.at(-1)).toMatchObject({ summary: '0 passed, 1 failed', ok: false });
  }, 60_000);

  it('signs for execute-api (API Gateway IAM authorisation) with the default credential chain', async () => {
    let authorization = '';
    const fake = createServer((req, res) => {
      authorization = req.headers.authorization ?? '';
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify({ __type: 'AccessDeniedException', message: 'no' }));
    });
    await new Promise<void>((ok) => fake.listen(0, '127.0.0.1', ok));
    const { port } = fake.address() as { port: number };
    const { code } = await smoke(['--endpoint', `http://127.0.0.1:${port}`, '--flows', 'lambda', '--region', 'eu-west-1'], { AWS_ACCESS_KEY_ID: 'AKIDSMOKE', AWS_SECRET_ACCESS_KEY: 'secret' });
    fake.close();
    expect(code).toBe(1);
    expect(authorization).toMatch(/Credential=AKIDSMOKE\/\d{8}\/eu-west-1\/execute-api\/aws4_request/);
  }, 60_000);

  it('refuses to run without --endpoint', async () => {
    const { code, stderr } = await smoke([]);
    expect(code).toBe(2);
    expect(stderr).toContain('--endpoint is required');
  });
});
