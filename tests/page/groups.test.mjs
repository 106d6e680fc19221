// Browser test of the area groups on the map page against a real hotspotd:
// the group outlines draw one path per group of /api/layers/groups, and
// choosing a group in "Where" sends group=ID and shows that group's counts
// (checked against the API's own answer for the same selection).
import {
  Checks, launchBrowser, openPage, startServer, waitReady,
} from './harness.mjs';

const checks = new Checks('page groups');
let server;
let browser;

async function api(base, pathAndQuery) {
  const response = await fetch(new URL(pathAndQuery, base));
  return { status: response.status, body: await response.json() };
}

try {
  server = await startServer();
  const base = server.url;
  const origin = base.replace(/\/$/, '');
  browser = await launchBrowser();
  const { page, offOrigin, consoleErrors } = await openPage(browser.context, origin);
  const groups = (await api(base, '/api/layers/groups')).body;
  checks.ok(groups.features.length > 0, 'the server has groups to show', `${groups.features.length}`);

  await page.goto(`${base}?preset=all`);
  let gen = await waitReady(page);

  await checks.run('group outlines', async () => {
    const hidden = await page.evaluate(() => window.hotspot.counts.groupsDrawn);
    checks.ok(hidden === 0, 'group outlines are off by default', `${hidden}`);
    await page.locator('#groups').check();
    await page.waitForFunction(() => window.hotspot.counts.groupsDrawn > 0);
    const drawn = await page.evaluate(() => window.hotspot.counts.groupsDrawn);
    checks.ok(drawn === groups.features.length, 'one outline per group', `${drawn} vs ${groups.features.length}`);
    const paths = await page.locator('.leaflet-groups-pane path').count();
    checks.ok(paths === groups.features.length, 'one SVG path per group in the groups pane', `${paths}`);
    const url = new URL(page.url());
    checks.ok(url.searchParams.get('groups') === '1', 'the URL records the layer', url.search);
  });

  await checks.run('choosing a group filters the analyses', async () => {
    const before = await page.evaluate(() => window.hotspot.counts.incidentsTotal);
    const options = await page.locator('#group option').evaluateAll((els) => els.map((e) => e.value).filter(Boolean));
    checks.ok(options.length === groups.features.length, 'every group is a "where" choice', `${options.length}`);
    const target = groups.features.find((f) => f.properties.name === 'Easington') || groups.features[0];
    const requests = [];
    page.on('request', (r) => { if (r.url().includes('/api/')) requests.push(r.url()); });
    await page.locator('#group').selectOption(String(target.id));
    gen = await waitReady(page, gen);
    const withGroup = requests.filter((u) => new URL(u).searchParams.get('group') === String(target.id));
    checks.ok(withGroup.some((u) => u.includes('/api/incidents')) && withGroup.some((u) => u.includes('/api/stats/wards')),
      'the incidents and ward statistics are asked for with group=ID', requests.slice(0, 4).join(' '));
    const expected = (await api(base, `/api/incidents?group=${encodeURIComponent(target.id)}&limit=1`)).body.metadata.paging.total;
    const after = await page.evaluate(() => window.hotspot.counts.incidentsTotal);
    checks.ok(after === expected, 'the page shows the group\'s incident count', `${after} vs ${expected}`);
    checks.ok(after < before && after > 0, 'the count changes to a part of the county', `${after} of ${before}`);
    const url = new URL(page.url());
    checks.ok(url.searchParams.get('group') === String(target.id), 'the URL records the group', url.search);
    const summary = await page.locator('#summary').innerText();
    checks.ok(summary.includes(target.properties.name), 'the summary names the group', summary);
    // Back to the whole county.
    await page.locator('#group').selectOption('');
    gen = await waitReady(page, gen);
    const whole = await page.evaluate(() => window.hotspot.counts.incidentsTotal);
    checks.ok(whole === before, 'the whole county again', `${whole} vs ${before}`);
  });

  checks.ok(offOrigin.length === 0, 'no request leaves the origin', offOrigin.join(' '));
  checks.ok(consoleErrors.length === 0, 'no console errors', JSON.stringify(consoleErrors.slice(0, 3)));
} catch (err) {
  checks.ok(false, 'the groups page test ran', err && err.stack ? err.stack : String(err));
} finally {
  if (browser) await browser.close();
  if (server) await server.stop();
  checks.finish();
}
