// Browser test of the map page against hotspotd --private: without a token
// every read is refused, so the page asks for one over the map; a wrong
// token is refused with the server's reason and asked again; a viewer's
// token opens the map (every layer drawn as on an open map); downloads,
// which a plain link cannot authorise, arrive through the page; the token
// stays in sessionStorage, never in the URL or localStorage. No console
// errors other than the refused reads, no off-origin requests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { Checks, binaryDir, launchBrowser, openPage, startServer, waitReady } from './harness.mjs';

const checks = new Checks('page-private');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspot-page-private-'));
let server;
let browser;

function newToken(role, name) {
  const cli = process.env.HOTSPOT_CLI || path.join(binaryDir, 'hotspot');
  const made = execFileSync(cli, ['token', 'new', '--role', role, '--name', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const token = /^token: (\S+)$/m.exec(made)?.[1];
  const line = /^tokens-file line: (.+)$/m.exec(made)?.[1];
  if (!token || !line) throw new Error(`could not read hotspot token new's output:\n${made}`);
  return { token, line };
}

async function status(base, target, token = '') {
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  const response = await fetch(new URL(target, base), { headers });
  return { status: response.status, body: await response.text() };
}

try {
  const viewer = newToken('viewer', 'page-viewer');
  const tokensFile = path.join(tmp, 'tokens');
  fs.writeFileSync(tokensFile, `${viewer.line}\n`);
  server = await startServer(['--private', '--tokens', tokensFile]);
  const base = server.url;

  checks.ok((await status(base, '/api/layers/wards')).status === 401, 'a read without a token is 401');
  const wards = await status(base, '/api/layers/wards', viewer.token);
  checks.ok(wards.status === 200, 'the viewer reads the wards');
  const wardCount = JSON.parse(wards.body).features.length;

  browser = await launchBrowser();
  const { page, offOrigin, consoleErrors } = await openPage(browser.context, base.replace(/\/$/, ''));
  await page.goto(base);
  await page.locator('#token-gate').waitFor({ state: 'visible', timeout: 15000 });
  checks.ok(true, 'the page asks for a token');
  const summary = await page.locator('#summary').innerText();
  checks.ok(/private/i.test(summary), 'the summary says the map is private', summary);

  await checks.run('a wrong token is asked again', async () => {
    await page.locator('#gate-token').fill('not-a-real-token');
    await page.locator('#token-gate button[type=submit]').click();
    await page.waitForFunction(() => !document.getElementById('token-gate').hidden
      && document.getElementById('gate-message').textContent.length > 0, null, { timeout: 15000 });
    const message = await page.locator('#gate-message').innerText();
    checks.ok(/not known/.test(message), 'with the server\'s reason', message);
  });

  await checks.run('the viewer token opens the map', async () => {
    await page.locator('#gate-token').fill(viewer.token);
    await page.locator('#token-gate button[type=submit]').click();
    await waitReady(page);
    const hs = await page.evaluate(() => ({ status: window.hotspot.status, errors: window.hotspot.errors, wards: window.hotspot.layers.wards.getLayers().length }));
    checks.ok(hs.status === 'ready', 'the page reaches ready', `${hs.status} ${JSON.stringify(hs.errors)}`);
    checks.ok(hs.wards === wardCount, 'every ward is drawn', `${hs.wards} vs ${wardCount}`);
    checks.ok(await page.locator('#token-gate').isHidden(), 'the token form is gone');
    const kept = await page.evaluate(() => ({ session: sessionStorage.getItem('hotspot.token'), local: localStorage.length, url: location.href }));
    checks.ok(kept.session === viewer.token && kept.local === 0 && !kept.url.includes(viewer.token), 'the token is in sessionStorage only', JSON.stringify({ ...kept, session: Boolean(kept.session) }));
  });

  await checks.run('downloads carry the token', async () => {
    const link = page.locator('#downloads a[download]').first();
    const expected = await link.getAttribute('href');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15000 }), link.click()]);
    const file = await download.path();
    const bytes = fs.readFileSync(file);
    const direct = await status(base, expected, viewer.token);
    checks.ok(bytes.length > 0 && bytes.toString() === direct.body, 'the downloaded file is the server\'s answer to the viewer', `${bytes.length} bytes, ${expected}`);
  });

  checks.ok(offOrigin.length === 0, 'no request leaves the origin', offOrigin.join(' '));
  // The refused reads before the token (and the wrong one) are the browser's
  // own "401" console lines; anything else is a page error.
  const other = consoleErrors.filter((e) => !/401/.test(e.text));
  checks.ok(other.length === 0, 'no other console errors', JSON.stringify(other));
} catch (err) {
  checks.ok(false, 'private page test ran', err && err.stack ? err.stack : String(err));
} finally {
  if (browser) await browser.close();
  if (server) await server.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
  checks.finish();
}
