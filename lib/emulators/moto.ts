// moto's server (trixie's python3-moto, unpacked by scripts/ensure-emulators.mjs into .cache/moto)
// for EventBridge, CloudWatch Logs and CloudFormation. It runs on the system python, whose bookworm
// python3-* packages supply moto's dependencies.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, projectRoot, spawnManaged, waitUntilReady } from './process.js';

export interface Moto {
  endpoint: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startMoto(options: { port?: number } = {}): Promise<Moto> {
  const dir = process.env['STEPWISE_MOTO_DIR'] ?? join(projectRoot(), '.cache/moto');
  const python = process.env['STEPWISE_PYTHON'] ?? '/usr/bin/python3';
  const sitePackages = join(dir, 'root/usr/lib/python3/dist-packages');
  if (!existsSync(join(dir, 'VERSION')) || !existsSync(join(sitePackages, 'moto'))) {
    throw new Error(`moto is missing (${dir}): run \`node scripts/ensure-emulators.mjs\``);
  }
  const port = options.port ?? (await freePort());
  const child = spawnManaged('moto', python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, PYTHONPATH: `${sitePackages}:${join(dir, 'shim')}` }, // shim: a stand-in openapi_spec_validator
  });
  const endpoint = `http://127.0.0.1:${port}`;
  // Any HTTP answer means the server is up; the dashboard data is a cheap GET.
  await waitUntilReady('moto', child, async () => {
    const res = await fetch(`${endpoint}/moto-api/data.json`);
    await res.arrayBuffer();
  });
  return { endpoint, pid: child.pid, stop: () => child.stop() };
}
