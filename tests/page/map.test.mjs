// Browser test of the map page against a real hotspotd: what is drawn is
// checked against what the API itself answers, the URL round-trips the view,
// keyboard and axe-core accessibility, no request leaves the origin, no
// console errors. Screenshots go to $HOTSPOT_BINARY_DIR/screenshots/.
import path from 'node:path';
import {
  axeSource, Checks, launchBrowser, openPage, screenshotDir, startServer, waitReady,
} from './harness.mjs';

const checks = new Checks('page');
const started = Date.now();
let server;
let browser;

async function api(base, pathAndQuery) {
  const response = await fetch(new URL(pathAndQuery, base));
  if (!response.ok) return { status: response.status, body: null };
  return { status: response.status, body: await response.json() };
}

const NTE = 'categories=violence,criminal_damage&days=fri,sat&window=20:00-04:00&scope=buffer&buffer=500';

try {
  server = await startServer();
  const base = server.url;
  const origin = base.replace(/\/$/, '');
  browser = await launchBrowser();
  const shots = screenshotDir();
  const { page, offOrigin, consoleErrors } = await openPage(browser.context, origin);

  // What the API says, to compare the page with.
  const layersMeta = (await api(base, '/api/layers')).body;
  const wards = (await api(base, '/api/layers/wards')).body;
  const towns = (await api(base, '/api/layers/town-centres')).body;
  const nte = (await api(base, `/api/incidents?${NTE}&limit=1`)).body;
  const nteTotal = nte?.metadata?.paging?.total;

  await page.goto(base);
  let gen = await waitReady(page);

  await checks.run('default view', async () => {
    const hs = await page.evaluate(() => ({ state: window.hotspot.state, counts: window.hotspot.counts, status: window.hotspot.status, errors: window.hotspot.errors }));
    checks.ok(hs.status === 'ready', 'page reaches ready', `${hs.status} ${JSON.stringify(hs.errors)}`);
    checks.ok(hs.state.preset === 'nte', 'opens on the nte preset');
    checks.ok(hs.counts.wards === wards.features.length && wards.features.length > 0, 'every ward is drawn', `${hs.counts.wards} vs ${wards.features.length}`);
    const wardPaths = await page.locator('.leaflet-wards-pane path').count();
    checks.ok(wardPaths === wards.features.length, 'one SVG path per ward', `${wardPaths}`);
    checks.ok(hs.counts.townCentres === towns.features.length, 'every town centre is drawn', `${hs.counts.townCentres} vs ${towns.features.length}`);
    const labels = await page.locator('.tc-label').allTextContents();
    const names = towns.features.map((f) => f.properties.name).sort();
    checks.ok(JSON.stringify([...labels].sort()) === JSON.stringify(names), 'town centres are labelled with their names', labels.join('|'));
    checks.ok(typeof nteTotal === 'number' && hs.counts.incidentsTotal === nteTotal, 'incident total matches /api/incidents for the nte selection', `${hs.counts.incidentsTotal} vs ${nteTotal}`);
    checks.ok(hs.counts.incidents === Math.min(nteTotal, 60000) && hs.counts.incidents > 0, 'incidents are loaded', `${hs.counts.incidents}`);
    const legend = await page.locator('#legend').innerText();
    checks.ok(/Legend/.test(legend) && /Town centre/.test(legend), 'the legend exists and names the layers', legend.slice(0, 80));
    const synthetic = (layersMeta.layers || []).some((l) => l.name === 'incidents' && l.synthetic);
    const banner = await page.locator('#synthetic').isVisible();
    checks.ok(banner === synthetic, 'the synthetic-data banner follows /api/layers', `banner ${banner}, synthetic ${synthetic}`);
    const attribution = await page.locator('#attribution').innerText();
    const licences = layersMeta.licences || [];
    checks.ok(licences.length > 0 && licences.every((l) => attribution.includes(l)), 'data attribution shows the licences from /api/layers', attribution.slice(0, 120));
    const summary = await page.locator('#summary').innerText();
    checks.ok(summary.includes(nteTotal.toLocaleString('en-GB')), 'the summary line gives the incident count', summary);
    await page.screenshot({ path: path.join(shots, 'default.png') });
  });

  await checks.run('incident points without a hotspot layer', async () => {
    const p = await openPage(browser.context, origin);
    await p.page.goto(`${base}?method=none`);
    await waitReady(p.page);
    const groups = await p.page.locator('.cluster-icon').allTextContents();
    const sum = groups.reduce((a, t) => a + Number(t.replace(/\D/g, '')), 0);
    const singles = await p.page.locator('.leaflet-overlay-pane path.leaflet-interactive').count();
    checks.ok(groups.length > 0, 'incidents appear as marker groups at county zoom', `${groups.length}`);
    checks.ok(sum > 0 && sum <= nteTotal, 'marker groups hold the selected incidents', `${sum} of ${nteTotal} (${singles} SVG paths)`);
    offOrigin.push(...p.offOrigin);
    consoleErrors.push(...p.consoleErrors);
    await p.page.close();
  });

  await checks.run('filter change updates URL and features', async () => {
    await page.locator('input[name="categories"][value="criminal_damage"]').uncheck();
    gen = await waitReady(page, gen);
    const url = new URL(page.url());
    checks.ok(url.searchParams.get('preset') === 'custom' && url.searchParams.get('categories') === 'violence', 'the URL records the change', url.search);
    const expected = (await api(base, `/api/incidents?categories=violence&days=fri,sat&window=20:00-04:00&scope=buffer&buffer=500&limit=1`)).body.metadata.paging.total;
    const counts = await page.evaluate(() => window.hotspot.counts);
    checks.ok(counts.incidentsTotal === expected && expected < nteTotal, 'the incidents follow the filter', `${counts.incidentsTotal} vs ${expected} (nte ${nteTotal})`);
    await page.locator('#window').selectOption('');
    gen = await waitReady(page, gen);
    const search = new URL(page.url()).searchParams;
    checks.ok(!search.has('window') || search.get('window') === '', 'clearing the time window clears it from the URL', page.url());
  });

  await checks.run('a shared URL restores the view', async () => {
    const shared = page.url();
    const second = await openPage(browser.context, origin);
    await second.page.goto(shared);
    await waitReady(second.page);
    const [a, b] = await Promise.all([page, second.page].map((p) => p.evaluate(() => ({ state: window.hotspot.state, total: window.hotspot.counts.incidentsTotal }))));
    const strip = (s) => ({ ...s, view: '' });
    checks.ok(JSON.stringify(strip(a.state)) === JSON.stringify(strip(b.state)), 'same state from the link', JSON.stringify(b.state));
    checks.ok(a.total === b.total, 'same incidents from the link', `${a.total} vs ${b.total}`);
    const checked = await second.page.locator('input[name="categories"]:checked').evaluateAll((els) => els.map((e) => e.value));
    checks.ok(JSON.stringify(checked) === '["violence"]', 'controls show the linked choices', checked.join(','));
    offOrigin.push(...second.offOrigin);
    consoleErrors.push(...second.consoleErrors);
    await second.page.close();
  });

  await checks.run('town-centre jump and details panel', async () => {
    await page.goto(`${base}?preset=all`);
    gen = await waitReady(page);
    const first = towns.features.map((f) => f.properties.name).sort()[0];
    await page.locator('#jump').selectOption({ label: first });
    await page.waitForFunction(() => window.hotspot.panel, null, { timeout: 15000 });
    const title = await page.locator('#panel-title').innerText();
    checks.ok(title.includes(first), 'the panel names the town centre', title);
    const panel = await page.evaluate(() => window.hotspot.panel);
    const code = towns.features.find((f) => f.properties.name === first).id;
    let inTown = 0;
    for (let offset = 0; offset !== null;) {
      const body = (await api(base, `/api/incidents?limit=10000&offset=${offset}`)).body;
      inTown += body.features.filter((f) => f.properties.town_centre === code).length;
      offset = body.metadata.paging.next_offset;
    }
    checks.ok(panel.total === inTown, 'the panel counts the incidents in that town centre', `${panel.total} vs ${inTown}`);
    checks.ok(await page.locator('#panel table.how').count() === 1, 'the panel shows the hour-of-week grid');
    checks.ok(new URL(page.url()).searchParams.get('sel') === `tc:${code}`, 'the selection is in the URL');
    await page.screenshot({ path: path.join(shots, 'town-centre.png') });
    // An incident popup, now that the map is zoomed in.
    const marker = page.locator('.leaflet-overlay-pane path.leaflet-interactive[fill]').last();
    await page.keyboard.press('Escape');
    checks.ok(await page.locator('#panel').isHidden(), 'Escape closes the panel');
    const markers = await page.evaluate(() => {
      const m = window.hotspot.map;
      let n = 0;
      m.eachLayer((l) => { if (l.getPopup && l.getPopup() && l.getLatLng) n += 1; });
      return n;
    });
    checks.ok(markers > 0, 'single incidents are shown when zoomed in', `${markers}`);
    void marker;
  });

  await checks.run('incident popup', async () => {
    const text = await page.evaluate(() => {
      let found = null;
      window.hotspot.map.eachLayer((l) => { if (!found && l.getPopup && l.getPopup() && l.getLatLng) found = l; });
      if (!found) return '';
      found.openPopup();
      return document.querySelector('.leaflet-popup-content')?.innerText || '';
    });
    checks.ok(/Category/.test(text) && /Local time/.test(text) && /Ward/.test(text), 'a popup gives category, local time and ward', text.replace(/\s+/g, ' '));
  });

  await checks.run('API errors are shown in words', async () => {
    const p = await openPage(browser.context, origin);
    await p.page.route('**/api/incidents*', (route) => route.fulfill({
      status: 503, contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'unavailable', message: 'test: the data is reloading' } }),
    }));
    await p.page.goto(base);
    await waitReady(p.page);
    const text = await p.page.locator('#error').innerText();
    checks.ok(/test: the data is reloading/.test(text) && /Incident points/.test(text), 'an API error appears in the error box', text);
    // Console errors for the forced 503s are expected here.
    offOrigin.push(...p.offOrigin);
    await p.page.close();
  });

  await checks.run('no basemap unless asked', async () => {
    checks.ok(await page.locator('.leaflet-tile').count() === 0, 'no map tiles by default');
    const p = await openPage(browser.context, origin);
    await p.page.goto(`${base}?tiles=${encodeURIComponent('https://tile.invalid/{z}/{x}/{y}.png')}`);
    await waitReady(p.page);
    checks.ok(p.offOrigin.length > 0 && p.offOrigin.every((u) => u.startsWith('https://tile.invalid/')), 'a tile address given in the URL is used (and only it)', p.offOrigin.slice(0, 2).join(' '));
    await p.page.close();
  });

  await checks.run('keyboard reaches every control', async () => {
    await page.goto(base);
    gen = await waitReady(page);
    // A radio group is one stop for Tab (arrow keys move inside it), so it
    // counts once, as its checked button.
    const controls = await page.evaluate(() => [...document.querySelectorAll('#controls input, #controls select, #controls button, #controls summary, #controls a, header button')]
      .filter((e) => !e.disabled && e.checkVisibility() && !(e.type === 'radio' && !e.checked))
      .map((e) => e.id || `${e.name}=${e.value}` || e.textContent));
    const seen = new Set();
    await page.locator('body').focus();
    for (let i = 0; i < 150 && seen.size < controls.length; i += 1) {
      await page.keyboard.press('Tab');
      const id = await page.evaluate(() => {
        const e = document.activeElement;
        return e ? e.id || `${e.name}=${e.value}` || e.textContent : '';
      });
      seen.add(id);
    }
    const missed = controls.filter((c) => !seen.has(c));
    checks.ok(missed.length === 0, `Tab reaches all ${controls.length} controls`, missed.join(', '));
  });

  await checks.run('axe-core', async () => {
    await page.addScriptTag({ content: axeSource() });
    const results = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    checks.ok(bad.length === 0, 'axe finds no serious or critical violations',
      bad.map((v) => `${v.id} (${v.nodes.length}): ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join('; ')}`).join(' | '));
  });

  await checks.run('small screen and print', async () => {
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.waitForTimeout(200);
    const box = await page.locator('#map').boundingBox();
    const controls = await page.locator('#controls').boundingBox();
    checks.ok(box.width >= 600 && box.height >= 450 && controls.x + controls.width <= box.x + 1, 'at 1024×768 the map and controls sit side by side', JSON.stringify({ box, controls }));
    await page.screenshot({ path: path.join(shots, 'small.png') });
    await page.emulateMedia({ media: 'print' });
    checks.ok(await page.locator('#controls').isHidden(), 'print view hides the controls');
    await page.screenshot({ path: path.join(shots, 'print.png') });
    await page.emulateMedia({ media: 'screen' });
  });

  checks.ok(offOrigin.length === 0, 'no request leaves the origin', offOrigin.slice(0, 3).join(' '));
  checks.ok(consoleErrors.length === 0, 'no console errors', consoleErrors.slice(0, 3).join(' | '));
} catch (err) {
  checks.ok(false, 'test harness', err && err.stack ? err.stack : String(err));
} finally {
  if (browser) await browser.close();
  if (server) await server.stop();
  console.log(`took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  checks.finish();
}
