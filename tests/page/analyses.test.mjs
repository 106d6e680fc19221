// Browser test of "Save this analysis" and the "Saved analyses" list
// against a real hotspotd with a source store and a viewer token made by
// the real `hotspot token new`. Through the page: a save without a token
// says what to do; with the token the Data sources panel keeps in
// sessionStorage the map's hotspot layer is saved (the token only in the
// Authorization header); the list shows it, and its link answers the same
// features the map drew, after a source has been added too.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  axeSource, binaryDir, Checks, launchBrowser, openPage, sourceDir, startServer, waitReady,
} from './harness.mjs';

const checks = new Checks('page analyses');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspot-analyses-page-'));
const servers = [];
let browser;

const cli = process.env.HOTSPOT_CLI || path.join(binaryDir, 'hotspot');
function makeToken(role, name) {
  const made = execFileSync(cli, ['token', 'new', '--role', role, '--name', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const token = /^token: (\S+)$/m.exec(made)?.[1];
  const line = /^tokens-file line: (.+)$/m.exec(made)?.[1];
  if (!token || !line) throw new Error(`could not read hotspot token new's output:\n${made}`);
  return { token, line };
}

async function api(base, pathAndQuery, init = {}) {
  const response = await fetch(new URL(pathAndQuery, base), init);
  return { status: response.status, body: await response.json() };
}

try {
  const viewer = makeToken('viewer', 'page-analyst');
  const editor = makeToken('editor', 'page-editor');
  const tokensFile = path.join(tmp, 'tokens');
  fs.writeFileSync(tokensFile, `${viewer.line}\n${editor.line}\n`);
  const server = await startServer(['--store', path.join(tmp, 'store.gpkg'), '--tokens', tokensFile,
    '--static', path.join(sourceDir, 'static')]);
  servers.push(server);
  const base = server.url;

  browser = await launchBrowser();
  const { page, offOrigin, consoleErrors } = await openPage(browser.context, base.replace(/\/$/, ''));
  const posts = [];
  page.on('request', async (r) => {
    if (r.url().includes('/api/analyses') && r.method() === 'POST') posts.push({ url: r.url(), headers: await r.allHeaders() });
  });
  const answerName = 'Weekend clusters, page test';
  page.on('dialog', (dialog) => dialog.accept(answerName));
  await page.goto(`${base}?preset=nte`);
  await waitReady(page);
  const layerUrl = await page.evaluate(() => document.querySelector('#downloads a')?.getAttribute('href'));
  checks.ok(layerUrl && layerUrl.startsWith('/api/hotspots/dbscan?'), 'the map shows a cluster layer', layerUrl);
  const statusText = () => page.locator('#analyses-status').innerText();

  await checks.run('saving without a token says where to put one', async () => {
    await page.locator('#save-analysis').click();
    await page.waitForFunction(() => /token/.test(document.getElementById('analyses-status').textContent));
    checks.ok(/Data sources/.test(await statusText()), 'the message names the Data sources panel', await statusText());
    checks.ok(posts.length === 0, 'nothing was sent');
  });

  let saved;
  await checks.run('saving with the token kept in sessionStorage', async () => {
    await page.evaluate((t) => sessionStorage.setItem('hotspot.token', t), viewer.token);
    await page.locator('#save-analysis').click();
    await page.waitForFunction(() => /^Saved/.test(document.getElementById('analyses-status').textContent));
    const listed = (await api(base, '/api/analyses')).body.analyses;
    saved = listed[0];
    checks.ok(listed.length === 1 && saved.name === answerName && saved.method === 'hotspots/dbscan', 'the server lists the analysis', JSON.stringify(listed));
    checks.ok(saved.created_by === 'page-analyst', 'saved by the token\'s holder', saved.created_by);
    const post = posts.at(-1);
    checks.ok(post && post.headers.authorization === `Bearer ${viewer.token}` && !post.url.includes(viewer.token), 'the token goes in the Authorization header only', post && post.url);
    await page.locator('#analyses > summary').click();
    const item = page.locator(`.analysis-item[data-id="${saved.id}"]`);
    await item.waitFor();
    checks.ok((await item.innerText()).includes(answerName), 'the list shows its name', await item.innerText());
    const href = await item.locator('a.open').getAttribute('href');
    checks.ok(href === `/api/analyses/${saved.id}`, 'the list links the analysis', href);
    const downloads = await item.locator('a[download]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    checks.ok(downloads.includes(`/api/analyses/${saved.id}?format=gpkg`), 'and its GeoPackage download', downloads.join(' '));
    await page.evaluate(axeSource());
    const axe = await page.evaluate(async () => {
      const result = await window.axe.run(document.getElementById('analyses'), { resultTypes: ['violations'] });
      return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.length}`);
    });
    checks.ok(axe.length === 0, 'axe-core finds no serious or critical problem in the list', axe.join('; '));
  });

  await checks.run('showing the saved analysis on the map', async () => {
    await page.locator(`.analysis-item[data-id="${saved.id}"] [data-act="show"]`).click();
    await page.waitForFunction(() => window.hotspot.savedShown);
    const shown = await page.evaluate(() => window.hotspot.savedShown);
    const features = (await api(base, `/api/analyses/${saved.id}`)).body.features.length;
    checks.ok(shown.id === saved.id && shown.features === features && features > 0, 'its features are drawn', JSON.stringify(shown));
    checks.ok(/^Showing/.test(await statusText()), 'and the status says so', await statusText());
  });

  await checks.run('the saved analysis answers what the map drew, after a source is added', async () => {
    const live = (await api(base, layerUrl)).body;
    const first = (await api(base, `/api/analyses/${saved.id}`)).body;
    checks.ok(JSON.stringify(first.features) === JSON.stringify(live.features), 'the same features as the map\'s layer', `${first.features?.length} vs ${live.features.length}`);
    const rows = ['id,lon,lat,category,occurred_at'];
    for (let i = 0; i < 30; i += 1) rows.push(`P-${i},-1.5757,54.7761,Violence and sexual offences,2024-06-07T22:15:00+01:00`);
    const added = await fetch(new URL('/api/sources?kind=csv&name=Later', base), {
      method: 'POST', headers: { Authorization: `Bearer ${editor.token}` }, body: `${rows.join('\n')}\n`,
    });
    checks.ok(added.status === 201, 'a source is added', String(added.status));
    const after = (await api(base, `/api/analyses/${saved.id}`)).body;
    checks.ok(JSON.stringify(after) === JSON.stringify(first), 'the saved answer is unchanged');
    const liveAfter = (await api(base, layerUrl)).body;
    checks.ok(liveAfter.metadata.snapshot_version !== first.metadata.snapshot_version, 'while the live layer moved on');
  });

  checks.ok(offOrigin.length === 0, 'no request leaves the origin', offOrigin.join(' '));
  checks.ok(consoleErrors.length === 0, 'no console errors', JSON.stringify(consoleErrors.slice(0, 3)));
} catch (err) {
  checks.ok(false, 'the analyses page test ran', err && err.stack ? err.stack : String(err));
} finally {
  if (browser) await browser.close();
  for (const s of servers) await s.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
  checks.finish();
}
