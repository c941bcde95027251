// Starts the whole platform as `./dart local` runs it (the packaged local jar: embedded PostgreSQL, SQS, S3, the API
// serving the UI, the workers and built-in engines) on a free port and a temporary data directory.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

export async function startServer({ timeoutMs = 180_000 } = {}) {
  const jar = join(ROOT, 'local', 'target', 'dart-local.jar');
  if (!existsSync(jar)) throw new Error(`${jar} is missing: build it first (./mvnw -DskipTests -pl ui,local -am package)`);
  const dataDir = mkdtempSync(join(tmpdir(), 'dart-ui-e2e-'));
  const port = await freePort();
  const proc = spawn('java', ['-jar', jar, '--data-dir', dataDir, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ready = new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`the server did not start within ${timeoutMs / 1000} s:\n${output.slice(-3000)}`)), timeoutMs);
    const onData = (chunk) => {
      output += chunk;
      if (output.includes('dart: ready on')) {
        clearTimeout(timer);
        ok();
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the server exited with ${code}:\n${output.slice(-3000)}`));
    });
  });
  await ready;
  const adminKey = readFileSync(join(dataDir, 'admin.key'), 'utf8').trim();
  const endpoints = JSON.parse(readFileSync(join(dataDir, 'local-endpoints.json'), 'utf8'));
  return {
    url: `http://localhost:${port}`,
    adminKey,
    endpoints,
    dataDir,
    log: () => output,
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise((ok) => proc.once('exit', ok));
        proc.kill('SIGTERM');
        await Promise.race([exited, new Promise((ok) => setTimeout(ok, 30_000))]);
        if (proc.exitCode === null) proc.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Calls dart's API with a key; answers the JSON body, throws with the status and body otherwise. */
export async function callApi(base, key, method, path, body) {
  const r = await fetch(`${base}/api/1${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', Accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await r.json();
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
  return json;
}
