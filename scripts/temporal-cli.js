// Finds or builds the Temporal CLI (which holds the dev server). The build is from Go modules
// and takes minutes, so it lands in a cache outside the checkout, keyed by version, and
// .tools/bin/temporal points at it.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const VERSIONS = (process.env.TEMPORAL_CLI_VERSION ? [process.env.TEMPORAL_CLI_VERSION] : []).concat(['v1.5.1', 'v1.5.0', 'v1.4.1']);
const REPO_BIN = path.join(ROOT, '.tools', 'bin', 'temporal');

function cacheRoot() {
  if (process.env.ICP_TOOLS_CACHE) return process.env.ICP_TOOLS_CACHE;
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'icp-cases');
}

function works(bin) {
  if (!fs.existsSync(bin)) return false;
  return spawnSync(bin, ['--version'], { encoding: 'utf8' }).status === 0;
}

function goBinary() {
  if (process.env.GO) return process.env.GO;
  const found = spawnSync('sh', ['-c', 'command -v go'], { encoding: 'utf8' }).stdout.trim();
  return found || '/usr/local/go/bin/go';
}

function build(version, dest) {
  const staging = fs.mkdtempSync(path.join(path.dirname(dest), '.build-'));
  const started = Date.now();
  console.log(`[temporal-cli] building Temporal CLI ${version} from Go modules into ${path.dirname(dest)} (takes minutes, once per machine)`);
  return new Promise((resolve) => {
    const child = spawn(goBinary(), ['install', `github.com/temporalio/cli/cmd/temporal@${version}`], {
      env: { ...process.env, CGO_ENABLED: '0', GOBIN: staging, GOFLAGS: '-mod=mod' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const beat = setInterval(() => console.log(`[temporal-cli] still building ${version} (${Math.round((Date.now() - started) / 1000)} s)`), 30_000);
    child.on('error', (error) => {
      clearInterval(beat);
      console.error(`[temporal-cli] cannot run go: ${error.message}`);
      resolve(false);
    });
    child.on('exit', (code) => {
      clearInterval(beat);
      const built = path.join(staging, 'temporal');
      if (code === 0 && fs.existsSync(built)) {
        fs.renameSync(built, dest);
        console.log(`[temporal-cli] built ${version} in ${Math.round((Date.now() - started) / 1000)} s`);
      } else {
        console.error(`[temporal-cli] go install of ${version} failed with exit code ${code}`);
      }
      fs.rmSync(staging, { recursive: true, force: true });
      resolve(code === 0);
    });
  });
}

/** Answers the path of a working Temporal CLI, building it first when no cached build exists. */
async function ensureTemporalCli() {
  if (process.env.TEMPORAL_CLI && works(process.env.TEMPORAL_CLI)) return process.env.TEMPORAL_CLI;
  if (works(REPO_BIN)) return REPO_BIN;
  for (const version of VERSIONS) {
    const dir = path.join(cacheRoot(), 'temporal-cli', version);
    const bin = path.join(dir, 'temporal');
    fs.mkdirSync(dir, { recursive: true });
    if (!works(bin) && !(await build(version, bin))) continue;
    fs.mkdirSync(path.dirname(REPO_BIN), { recursive: true });
    fs.rmSync(REPO_BIN, { force: true });
    fs.symlinkSync(bin, REPO_BIN);
    return REPO_BIN;
  }
  throw new Error(`Could not build the Temporal CLI (tried ${VERSIONS.join(', ')}); see the go output above`);
}

module.exports = { ensureTemporalCli, ROOT };

if (require.main === module) {
  ensureTemporalCli().then(
    (bin) => console.log(`[temporal-cli] ${bin}: ${spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.trim()}`),
    (error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}
