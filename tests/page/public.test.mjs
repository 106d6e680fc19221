// Browser test of the map page against hotspotd --public: the page asks for
// no incident points and draws none, says it is a public map, and shows the
// counts the server suppressed as "fewer than 5" (the server's min_count) in
// the legend and a ward's details. No console errors, no off-origin requests.
import path from 'node:path';
import { Checks, launchBrowser, openPage, screenshotDir, startServer, waitReady } from './harness.mjs';

const checks = new Checks('page-public');
let server;
let browser;
let opened = null;

async function api(base, pathAndQuery) {
  const response = await fetch(new URL(pathAndQuery, base));
  const text = await response.text();
  let body = null;
  try { body = JSON.parse(text); } catch { body = null; }
  return { status: response.status, body };
}

try {
  server = await startServer(['--public', '--min-count', '5']);
  const base = server.url;
  browser = await launchBrowser();
  opened = await openPage(browser.context, base);
  const { page, offOrigin, consoleErrors } = opened;
  const asked = [];
  page.on('request', (r) => asked.push(new URL(r.url()).pathname));

  const parameters = (await api(base, '/api/parameters')).body;
  checks.ok(parameters && parameters.public === true && parameters.min_count === 5, '/api/parameters says public, min_count 5');
  checks.ok((await api(base, '/api/incidents')).status === 403, '/api/incidents answers 403');

  // One month of violence by ward: the requirement's example, where small
  // counts are common.
  const query = 'category=violence&from=2024-03-01&to=2024-03-31';
  const stats = (await api(base, `/api/stats/wards?${query}`)).body;
  const suppressed = stats.features.filter((f) => f.properties.total === null);
  checks.ok(suppressed.length > 0, 'the server suppresses some ward counts for a month of violence', `${suppressed.length}`);
  checks.ok(stats.features.every((f) => f.properties.total === null || f.properties.total === 0 || f.properties.total >= 5),
    'no ward count of 1-4 is published');

  await page.goto(`${base}?categories=violence&from=2024-03-01&to=2024-03-31`);
  await waitReady(page);

  await checks.run('no points', async () => {
    const hs = await page.evaluate(() => ({ status: window.hotspot.status, public: window.hotspot.public, counts: window.hotspot.counts, errors: window.hotspot.errors }));
    checks.ok(hs.status === 'ready', 'page reaches ready', `${hs.status} ${JSON.stringify(hs.errors)}`);
    checks.ok(hs.public === true, 'the page knows it is public');
    checks.ok(hs.counts.incidents === 0, 'no incident points are loaded', `${hs.counts.incidents}`);
    checks.ok(!asked.some((p) => p === '/api/incidents'), 'the page never asks /api/incidents', asked.filter((p) => p.startsWith('/api/')).join(' '));
    // The incident layer is empty, and the only markers on the map are the
    // town-centre names (text labels, class map-label).
    const markers = await page.evaluate(() => {
      let n = 0;
      window.hotspot.map.eachLayer((l) => {
        const label = l.options && l.options.icon && /map-label/.test(l.options.icon.options.className || '');
        if ((l instanceof window.L.Marker || l instanceof window.L.CircleMarker) && !label) n += 1;
      });
      return { n, points: window.hotspot.layers.points.getLayers().length };
    });
    checks.ok(markers.points === 0 && markers.n === 0, 'no point markers on the map', JSON.stringify(markers));
    const downloads = await page.locator('#downloads').innerText();
    checks.ok(!/Incidents chosen/.test(downloads), 'no incident download is offered');
    const summary = await page.locator('#summary').innerText();
    checks.ok(/public map/i.test(summary), 'the summary says it is a public map', summary);
  });

  await checks.run('suppressed counts in words', async () => {
    const legend = await page.locator('#legend').innerText();
    checks.ok(/Public map/.test(legend) && /fewer than 5/.test(legend), 'the legend explains public mode and "fewer than 5"', legend);
    const code = String(suppressed[0].id);
    await page.locator('#jump-ward').selectOption(code);
    await page.waitForFunction((c) => window.hotspot.panel && window.hotspot.panel.code === c, code, { timeout: 15000 });
    const panel = await page.locator('#panel').innerText();
    checks.ok(/fewer than 5/.test(panel), 'a suppressed ward\'s details say "fewer than 5"', panel.slice(0, 200));
    checks.ok(!/\bnull\b|NaN/.test(panel), 'and never "null" or "NaN"');
    checks.ok(!/No incidents with a time of day/.test(panel), 'suppressed hours are not called "no incidents"');
    await page.screenshot({ path: path.join(screenshotDir(), 'public.png') });
  });

  checks.ok(offOrigin.length === 0, 'no request leaves the origin', offOrigin.join(' '));
  checks.ok(consoleErrors.length === 0, 'no console errors', JSON.stringify(consoleErrors));
} catch (err) {
  const errors = opened ? JSON.stringify(opened.consoleErrors) : '';
  checks.ok(false, 'public page test ran', `${err && err.stack ? err.stack : String(err)} ${errors}`);
} finally {
  if (browser) await browser.close();
  if (server) await server.stop();
  checks.finish();
}
