// Shared by the browser tests: starts hotspotd on a free port, launches
// Debian's Chromium through playwright-core with every off-origin request
// blocked and recorded, and counts checks.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

export const sourceDir = process.env.HOTSPOT_SOURCE_DIR || path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const binaryDir = process.env.HOTSPOT_BINARY_DIR || path.join(sourceDir, 'build');
const require = createRequire(path.join(sourceDir, 'package.json'));

// Starts hotspotd with its bundled data; resolves with its base URL once it
// prints "hotspotd listening on http://HOST:PORT/". HOTSPOT_PAGE_SERVER=URL
// uses a server that is already running instead, HOTSPOTD=PATH another
// build's binary (both for working on the page).
export async function startServer(extraArgs = []) {
  if (process.env.HOTSPOT_PAGE_SERVER) {
    return { url: process.env.HOTSPOT_PAGE_SERVER.replace(/\/?$/, '/'), stop: async () => {} };
  }
  const binary = process.env.HOTSPOTD || path.join(binaryDir, 'hotspotd');
  if (!fs.existsSync(binary)) throw new Error(`no server binary at ${binary} (build the hotspotd target first)`);
  const child = spawn(binary, ['--port', '0', ...extraArgs], {
    cwd: sourceDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // However this script ends (a library may call process.exit), the server
  // must not outlive it.
  process.on('exit', () => { if (child.exitCode === null) child.kill('SIGKILL'); });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const url = await new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`hotspotd did not start within 30 s\n${stderr}`)), 30000);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const m = /hotspotd listening on (http:\/\/\S+?)\/?(\s|$)/.exec(stdout);
      if (m) { clearTimeout(timer); resolve(`${m[1]}/`); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`hotspotd exited with ${code}\n${stderr}`)); });
  });
  child.stdout.resume();
  const stop = () => new Promise((resolve) => {
    if (child.exitCode !== null) { resolve(); return; }
    child.once('exit', resolve);
    child.kill('SIGTERM');
    setTimeout(() => { if (child.exitCode === null) child.kill('SIGKILL'); }, 5000).unref();
  });
  return { url, stop, stderr: () => stderr };
}

export async function launchBrowser() {
  const { chromium } = require('playwright-core');
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspot-page-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--lang=en-GB'],
    viewport: { width: 1366, height: 768 },
    locale: 'en-GB',
    env: { ...process.env, LANG: 'en_GB.UTF-8', LANGUAGE: 'en_GB' },
    timezoneId: 'Europe/London',
  });
  const close = async () => {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  };
  return { context, close };
}

// A page whose requests may go only to `origin`; anything else is aborted
// and listed in `offOrigin`. Console errors and page errors are listed too.
export async function openPage(context, origin) {
  const page = await context.newPage();
  const offOrigin = [];
  const consoleErrors = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    offOrigin.push(url);
    return route.abort('blockedbyclient');
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push({ text: msg.text(), url: msg.location()?.url || '' });
  });
  page.on('pageerror', (err) => consoleErrors.push({ text: `page error: ${err.message}`, url: '' }));
  return { page, offOrigin, consoleErrors };
}

// Waits until the page has finished a refresh newer than `after`.
export async function waitReady(page, after = 0, timeout = 20000) {
  await page.waitForFunction(
    (gen) => window.hotspot && window.hotspot.status !== 'loading' && window.hotspot.generation > gen,
    after, { timeout },
  );
  return page.evaluate(() => window.hotspot.generation);
}

export function axeSource() {
  return fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
}

export function screenshotDir() {
  const dir = path.join(binaryDir, 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

// Counts checks; `run` wraps one named check so one failure does not hide
// the others, and `finish` prints "page: N passed, M failed" and exits.
export class Checks {
  constructor(prefix = 'page') {
    this.prefix = prefix;
    this.passed = 0;
    this.failed = 0;
  }

  ok(condition, name, detail = '') {
    if (condition) {
      this.passed += 1;
      console.log(`ok   ${name}`);
    } else {
      this.failed += 1;
      console.log(`FAIL ${name}${detail ? `: ${detail}` : ''}`);
    }
    return condition;
  }

  async run(name, fn) {
    try {
      await fn();
    } catch (err) {
      this.failed += 1;
      console.log(`FAIL ${name}: ${err && err.stack ? err.stack : err}`);
    }
  }

  finish() {
    console.log(`${this.prefix}: ${this.passed} passed, ${this.failed} failed`);
    process.exitCode = this.failed || !this.passed ? 1 : 0;
  }
}
