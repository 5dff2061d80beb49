// Shared plumbing for the emulators that run as child processes (DynamoDB Local, moto).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding package.json above this file, so .cache/ is found from lib/ and from a bundle alike. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}

/** A port that was free a moment ago (the OS picks it; the emulator binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface ManagedChild {
  readonly pid: number;
  /** The last few KB of its stdout+stderr, for error messages. */
  output(): string;
  hasExited(): boolean;
  stop(): Promise<void>;
}

/**
 * Spawns a long-running child that dies with this process: it is killed on 'exit' (a SIGKILL, the
 * only thing that can run synchronously there). Its output is drained (a full pipe would stall it).
 */
export function spawnManaged(name: string, command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): ManagedChild {
  const child: ChildProcess = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env, cwd: options.cwd ?? process.cwd() });
  let tail = '';
  let closed = false;
  const keep = (chunk: Buffer) => { tail = (tail + chunk.toString('utf8')).slice(-4096); };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const killOnExit = () => { child.kill('SIGKILL'); };
  process.on('exit', killOnExit);
  const exited = new Promise<void>((resolve) => {
    child.once('error', (err) => { tail += `\n${name}: ${err.message}`; });
    child.once('close', () => { closed = true; process.off('exit', killOnExit); resolve(); });
  });
  if (child.pid === undefined) tail += `\n${name}: could not spawn ${command}`;
  return {
    pid: child.pid ?? -1,
    output: () => tail,
    hasExited: () => closed || child.pid === undefined,
    async stop() {
      if (closed || child.pid === undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Polls `probe` until it resolves, failing early if the child exits first and with its output after
 * `timeoutMs`, so a broken emulator shows why instead of a bare timeout.
 */
export async function waitUntilReady(name: string, child: ManagedChild, probe: () => Promise<unknown>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline && !child.hasExited()) {
    try {
      await probe();
      return;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const why = child.hasExited() ? 'exited before answering' : `did not answer within ${timeoutMs / 1000} s (last error: ${String(lastError)})`;
  await child.stop();
  throw new Error(`${name} ${why}. Its output:\n${child.output().trim() || '(none)'}`);
}
