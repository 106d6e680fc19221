// Browser test of the "Data sources" panel against a real hotspotd with a
// source store (a temporary GeoPackage, seeded with the bundled synthetic
// incidents) and a tokens file holding an editor token made by the real
// `hotspot token new`. Through the page's own form: the seeded source is
// listed, a wrong token gets the server's 401 message, a CSV upload shows
// the exact load report and adds exactly its accepted rows to the map, a
// replacement swaps them, a withdrawal (after a confirm step) takes them
// away; the token stays in sessionStorage; no horizontal scrolling at phone
// width; and a server without a store says so.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  axeSource, binaryDir, Checks, launchBrowser, openPage, screenshotDir, sourceDir, startServer, waitReady,
} from './harness.mjs';

const checks = new Checks('page sources');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspot-sources-page-'));
const servers = [];
let browser;

// Inside County Durham's wards: Durham city and Bishop Auckland. Outside:
// Newcastle upon Tyne. T-3 appears twice (the second is a duplicate) and the
// last row lacks two fields (malformed).
const UPLOAD = [
  'id,lon,lat,category,occurred_at',
  'T-1,-1.5757,54.7761,Violence and sexual offences,2024-06-07T22:15:00+01:00',
  'T-2,-1.5790,54.7780,Criminal damage and arson,2024-06-08T23:40:00+01:00',
  'T-3,-1.6900,54.6500,Public order,2024-06-14T21:05:00+01:00',
  'T-3,-1.6900,54.6500,Public order,2024-06-14T21:05:00+01:00',
  'T-4,-1.6178,54.9783,Violence and sexual offences,2024-06-08T23:00:00+01:00',
  'T-5,-1.5757,54.7761',
].join('\n');
const EXPECTED = { read: 6, accepted: 3, rejected: 2, duplicate: 1 };
// The replacement: two new rows, in British National Grid metres.
const REPLACEMENT = [
  'id,easting,northing,category,occurred_at',
  'R-1,427300,542400,Burglary,2024-07-05T23:30:00+01:00',
  'R-2,421200,529600,Violence and sexual offences,2024-07-06T01:10:00+01:00',
].join('\n');

const csvFile = (name, text) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(`${text}\n`) });

async function api(base, pathAndQuery) {
  const response = await fetch(new URL(pathAndQuery, base));
  return { status: response.status, body: await response.json() };
}

const healthIncidents = async (base) => (await api(base, '/api/health')).body.incidents;
const pageTotal = (page) => page.evaluate(() => window.hotspot.counts.incidentsTotal);
const reportCounts = (page) => page.$$eval('#source-result [data-count]', (els) => Object.fromEntries(
  els.map((e) => [e.dataset.count, Number(e.textContent.replace(/,/g, ''))])));

// Nothing in the page or the controls column is wider than the viewport.
async function overflow(page) {
  return page.evaluate(() => {
    const doc = document.documentElement;
    const controls = document.querySelector('.controls');
    const wide = [...document.querySelectorAll('#sources *')]
      .filter((e) => e.getClientRects().length && e.getBoundingClientRect().right > doc.clientWidth + 0.5)
      .map((e) => e.id || e.className || e.tagName);
    return {
      page: doc.scrollWidth - doc.clientWidth,
      controls: controls.scrollWidth - controls.clientWidth,
      wide: wide.slice(0, 5),
    };
  });
}

try {
  // An editor token, made as an administrator would.
  const cli = process.env.HOTSPOT_CLI || path.join(binaryDir, 'hotspot');
  const made = execFileSync(cli, ['token', 'new', '--role', 'editor', '--name', 'page-editor'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const token = /^token: (\S+)$/m.exec(made)?.[1];
  const line = /^tokens-file line: (.+)$/m.exec(made)?.[1];
  if (!token || !line) throw new Error(`could not read hotspot token new's output:\n${made}`);
  const tokensFile = path.join(tmp, 'tokens');
  fs.writeFileSync(tokensFile, `${line}\n`);
  const staticDir = path.join(sourceDir, 'static');

  const server = await startServer(['--store', path.join(tmp, 'store.gpkg'), '--tokens', tokensFile,
    '--upload-folder', tmp, '--static', staticDir]);
  servers.push(server);
  const base = server.url;
  const origin = base.replace(/\/$/, '');
  const seeded = (await api(base, '/api/sources')).body.sources;
  checks.ok(seeded.length === 1 && seeded[0].synthetic, 'the store is seeded with the synthetic source', JSON.stringify(seeded.map((s) => s.name)));
  const start = await healthIncidents(base);

  browser = await launchBrowser();
  const { page, offOrigin, consoleErrors } = await openPage(browser.context, origin);
  const sent = [];
  page.on('request', async (r) => {
    if (r.url().includes('/api/sources')) sent.push({ method: r.method(), url: r.url(), headers: await r.allHeaders() });
  });
  await page.goto(`${base}?preset=all`);
  let gen = await waitReady(page);
  const before = await pageTotal(page);
  checks.ok(before === start, 'the page shows every incident', `${before} vs ${start}`);

  await checks.run('the panel lists the seeded source', async () => {
    checks.ok(!(await page.locator('#sources').evaluate((d) => d.open)), 'the panel is closed at first');
    checks.ok(sent.length === 0, 'nothing asks /api/sources before the panel opens', sent.map((r) => r.url).join(' '));
    await page.locator('#sources > summary').focus();
    await page.keyboard.press('Enter');
    await page.locator('#sources-list .source-item').first().waitFor();
    checks.ok(await page.locator('#sources').evaluate((d) => d.open), 'Enter on the summary opens the panel');
    const item = page.locator(`.source-item[data-id="${seeded[0].id}"]`);
    const text = await item.innerText();
    checks.ok(text.includes(seeded[0].name), 'the item names the source', text);
    checks.ok(await item.locator('.synthetic-badge').count() === 1, 'the synthetic source has its badge');
    const stored = Number((await item.locator('[data-count="stored"]').innerText()).replace(/,/g, ''));
    checks.ok(stored === seeded[0].rows.stored, 'rows stored as the API lists them', `${stored}`);
    checks.ok(/1 Jan 2024 – 31 Dec 2024/.test(text) && text.includes('Added by hotspotd'), 'date range and who added it', text);
    const unlabelled = await page.$$eval('#sources input, #sources select',
      (els) => els.filter((e) => !e.labels || !e.labels.length).map((e) => e.id));
    checks.ok(unlabelled.length === 0, 'every input in the panel has a label', unlabelled.join(' '));
    await page.evaluate(axeSource());
    const axe = await page.evaluate(async () => {
      const result = await window.axe.run(document.getElementById('sources'), { resultTypes: ['violations'] });
      return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.length}`);
    });
    checks.ok(axe.length === 0, 'axe-core finds no serious or critical problem in the panel', axe.join('; '));
  });

  const form = async (file, { kind = 'csv', name = 'Page test upload', licence = '' } = {}) => {
    await page.locator('#source-file').setInputFiles(file);
    await page.locator('#source-kind').selectOption(kind);
    await page.locator('#source-name').fill(name);
    await page.locator('#source-licence').fill(licence);
  };
  const result = async () => {
    await page.waitForFunction(() => {
      const box = document.getElementById('source-result');
      return !document.getElementById('source-submit').disabled && box.textContent && !/…/.test(box.textContent);
    });
    return page.locator('#source-result').innerText();
  };

  await checks.run('a wrong token gets the server\'s 401 message', async () => {
    await page.locator('#source-token').fill('not-a-real-token');
    await form(csvFile('upload.csv', UPLOAD));
    await page.locator('#source-submit').click();
    const text = await result();
    checks.ok(text.includes('HTTP 401') && text.includes('The token is not known'), 'the 401 and the server\'s words are shown', text);
    checks.ok(await page.locator('#source-result.failed').count() === 1, 'shown as a failure');
    checks.ok(await healthIncidents(base) === start, 'nothing was stored');
  });

  let added;
  await checks.run('uploading a CSV through the form', async () => {
    await page.locator('#source-token').fill(token);
    await form(csvFile('upload.csv', UPLOAD), { licence: 'Test data' });
    await page.locator('#source-submit').click();
    const text = await result();
    const counts = await reportCounts(page);
    checks.ok(JSON.stringify(counts) === JSON.stringify(EXPECTED), 'the report has the expected counts', `${JSON.stringify(counts)} ${text}`);
    checks.ok(/Line 7: malformed row/.test(text) && /Line 6: outside the loaded wards/.test(text), 'the first reasons with their line numbers', text);
    checks.ok(text.includes(`${(start + EXPECTED.accepted).toLocaleString('en-GB')} incidents`), 'the report says what the map now serves', text);
    const post = sent.filter((r) => r.method === 'POST').at(-1);
    checks.ok(post && post.headers['content-type'].startsWith('multipart/form-data'), 'sent as multipart/form-data', post && post.headers['content-type']);
    checks.ok(post && post.headers.authorization === `Bearer ${token}` && !post.url.includes(token), 'the token goes in the Authorization header only', post && post.url);
    gen = await waitReady(page, gen);
    await page.locator('#source-result').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(screenshotDir(), 'sources.png') });
    const after = await pageTotal(page);
    checks.ok(after === before + EXPECTED.accepted, 'the map\'s incident total grows by the accepted rows', `${before} -> ${after}`);
    checks.ok(await healthIncidents(base) === start + EXPECTED.accepted, '/api/health agrees');
    await page.locator('#sources-list .source-item').nth(1).waitFor();
    const listed = (await api(base, '/api/sources')).body.sources;
    added = listed.find((s) => s.name === 'Page test upload');
    checks.ok(added && added.rows.stored === EXPECTED.accepted && added.licence === 'Test data', 'the store lists the new source', JSON.stringify(added));
    checks.ok(await page.locator('#sources-list .source-item').count() === 2, 'the list grows to two sources');
    const stored = await page.locator(`.source-item[data-id="${added.id}"] [data-count="stored"]`).innerText();
    checks.ok(stored === String(EXPECTED.accepted), 'the new item shows its stored rows', stored);
    const kept = await page.evaluate(() => ({ session: sessionStorage.getItem('hotspot.token'), local: localStorage.length, url: location.href }));
    checks.ok(kept.session === token && kept.local === 0 && !kept.url.includes(token), 'the token is in sessionStorage only', JSON.stringify({ ...kept, session: Boolean(kept.session) }));
  });

  await checks.run('replacing the uploaded source', async () => {
    await page.locator(`.source-item[data-id="${added.id}"] [data-act="replace"]`).click();
    checks.ok(await page.evaluate(() => document.activeElement.id) === 'source-file', 'Replace moves the focus to the file field');
    checks.ok(await page.locator('#source-target').inputValue() === String(added.id), 'the form is set to replace it');
    checks.ok(await page.locator('#source-name').inputValue() === 'Page test upload', 'its name is filled in');
    await page.locator('#source-file').setInputFiles(csvFile('replacement.csv', REPLACEMENT));
    await page.locator('#source-submit').click();
    const text = await result();
    checks.ok(text.includes('Replaced') && JSON.stringify(await reportCounts(page)) === JSON.stringify({ read: 2, accepted: 2, rejected: 0, duplicate: 0 }), 'the replacement\'s report', text);
    checks.ok(sent.some((r) => r.method === 'PUT' && r.url.endsWith(`/api/sources/${added.id}`)), 'sent as PUT /api/sources/{id}');
    gen = await waitReady(page, gen);
    checks.ok(await pageTotal(page) === before + 2, 'the map holds the replacement\'s rows instead', `${await pageTotal(page)}`);
  });

  await checks.run('withdrawing the uploaded source', async () => {
    const item = page.locator(`.source-item[data-id="${added.id}"]`);
    await item.locator('[data-act="withdraw"]').click();
    checks.ok(await page.evaluate(() => document.activeElement.dataset.act) === 'confirm-withdraw', 'a confirm step, focused');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');   // Cancel
    checks.ok(await item.locator('.source-confirm').count() === 0 && await healthIncidents(base) === start + 2, 'Cancel withdraws nothing');
    // A wrong token first: the row says why.
    await page.locator('#source-token').fill('wrong-token');
    await item.locator('[data-act="withdraw"]').click();
    await item.locator('[data-act="confirm-withdraw"]').click();
    await page.waitForFunction(() => /HTTP 401/.test(document.querySelector('.source-confirm .source-error')?.textContent || ''));
    const refused = await item.locator('.source-error').innerText();
    checks.ok(refused.includes('The token is not known'), 'a refused withdrawal shows the server\'s message', refused);
    await page.locator('#source-token').fill(token);
    await item.locator('[data-act="confirm-withdraw"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('#sources-list .source-item').length === 1);
    gen = await waitReady(page, gen);
    checks.ok(await pageTotal(page) === before, 'the map\'s total is back where it started', `${await pageTotal(page)}`);
    checks.ok(await healthIncidents(base) === start, '/api/health agrees');
    const status = await page.locator('#sources-status').innerText();
    checks.ok(status.includes('Withdrew “Page test upload”'), 'the panel says what was withdrawn', status);
    await page.locator('#sources-withdrawn').check();
    await page.locator(`.source-item[data-id="${added.id}"] .withdrawn-badge`).waitFor();
    checks.ok(await page.locator(`.source-item[data-id="${added.id}"] button`).count() === 0, 'a withdrawn source is listed with no actions');
  });

  await checks.run('phone and tablet widths', async () => {
    for (const [width, height] of [[390, 844], [768, 1024]]) {
      await page.setViewportSize({ width, height });
      await page.locator('#source-token').scrollIntoViewIfNeeded();
      const o = await overflow(page);
      checks.ok(o.page <= 0 && o.controls <= 0 && o.wide.length === 0, `no horizontal scrolling at ${width}×${height} with the panel open`, JSON.stringify(o));
    }
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(screenshotDir(), 'sources-phone.png') });
    await page.setViewportSize({ width: 1366, height: 768 });
  });

  checks.ok(offOrigin.length === 0, 'no request leaves the origin', offOrigin.join(' '));
  // The refused requests are logged by Chromium itself; anything else is a fault.
  const unexpected = consoleErrors.filter((e) => !(e.text.startsWith('Failed to load resource') && /401/.test(e.text) && e.url.includes('/api/sources')));
  checks.ok(unexpected.length === 0, 'no console errors', JSON.stringify(unexpected.slice(0, 3)));

  await checks.run('a server without a store', async () => {
    const plain = await startServer(['--static', staticDir]);
    servers.push(plain);
    const opened = await openPage(browser.context, plain.url.replace(/\/$/, ''));
    await opened.page.goto(plain.url);
    await waitReady(opened.page);
    await opened.page.locator('#sources > summary').click();
    await opened.page.waitForFunction(() => /No source store/.test(document.getElementById('sources-status').textContent));
    checks.ok(await opened.page.locator('#source-form').isHidden(), 'no upload form without a store');
    checks.ok(await opened.page.locator('.source-item').count() === 0, 'no sources listed');
    checks.ok(opened.offOrigin.length === 0, 'no request leaves the origin (no store)', opened.offOrigin.join(' '));
  });
} catch (err) {
  checks.ok(false, 'the sources page test ran', err && err.stack ? err.stack : String(err));
} finally {
  if (browser) await browser.close();
  for (const s of servers) await s.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
  checks.finish();
}
