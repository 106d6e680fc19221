// Browser test of the map page against a real hotspotd: what is drawn is
// checked against what the API itself answers, the URL round-trips the view,
// keyboard and axe-core accessibility, no request leaves the origin, no
// console errors. Screenshots go to $HOTSPOT_BINARY_DIR/screenshots/.
//
// Analysis endpoints the server does not offer (404) are reported as
// skipped, and their 404s in the console are not counted as page errors.
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
  const text = await response.text();
  let body = null;
  try { body = JSON.parse(text); } catch { body = null; }
  return { status: response.status, type: response.headers.get('content-type') || '', body };
}

async function allIncidents(base, query) {
  const out = [];
  for (let offset = 0; offset !== null;) {
    const { body } = await api(base, `/api/incidents?${query}${query ? '&' : ''}limit=10000&offset=${offset}`);
    out.push(...body.features);
    offset = body.metadata.paging.next_offset;
  }
  return out;
}

async function axeSerious(page, selector = null) {
  // Evaluated through the DevTools protocol: the page's Content-Security-Policy
  // (script-src 'self') blocks an injected inline <script>, as it should.
  await page.evaluate(axeSource());
  const results = await page.evaluate(async (sel) => window.axe.run(sel ? document.querySelector(sel) : document, { resultTypes: ['violations'] }), selector);
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of bad) console.log(`  axe ${v.id}: ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join('; ')}`);
  return bad;
}

// Every GeoJSON feature in the page's layers (window.hotspot.layers), by
// layer: id -> the feature's own keys and its properties' keys. The page
// must draw the server's features as sent, never decorated.
async function layerFeatureKeys(page) {
  return page.evaluate(() => {
    const out = {};
    const visit = (layer, name) => {
      if (layer.feature) {
        const f = layer.feature;
        out[name] ||= {};
        out[name][String(f.id)] = { own: Object.keys(f).sort(), props: Object.keys(f.properties || {}).sort() };
      }
      if (layer.eachLayer) layer.eachLayer((l) => visit(l, name));
    };
    for (const [name, layer] of Object.entries(window.hotspot.layers)) if (layer) visit(layer, name);
    return out;
  });
}

// Problems of drawn features against the server's collection: a feature
// missing from it, or keys it did not send.
function undecorated(drawn, collection) {
  const problems = [];
  const sent = new Map(collection.features.map((f) => [String(f.id), f]));
  for (const [id, keys] of Object.entries(drawn || {})) {
    const f = sent.get(id);
    if (!f) { problems.push(`${id} not sent`); continue; }
    const extra = [...keys.own.filter((k) => !(k in f)), ...keys.props.filter((k) => !(k in (f.properties || {})))];
    if (extra.length) problems.push(`${id}: ${extra.join(',')}`);
  }
  return problems;
}

const NTE = 'categories=violence,criminal_damage&days=fri,sat&window=20:00-04:00&scope=buffer&buffer=500';
const ANALYSIS = ['/api/stats/wards', '/api/stats/town-centres', '/api/hotspots/dbscan', '/api/hotspots/kde', '/api/hotspots/gistar', '/api/profile', '/api/compare'];

try {
  server = await startServer();
  const base = server.url;
  const origin = base.replace(/\/$/, '');
  browser = await launchBrowser();
  const shots = screenshotDir();
  const { page, offOrigin, consoleErrors } = await openPage(browser.context, origin);
  const collect = async (p) => {
    offOrigin.push(...p.offOrigin);
    consoleErrors.push(...p.consoleErrors);
    await p.page.close();
  };

  // What the API says, to compare the page with.
  const layersMeta = (await api(base, '/api/layers')).body;
  const wards = (await api(base, '/api/layers/wards')).body;
  const towns = (await api(base, '/api/layers/town-centres')).body;
  const nteTotal = (await api(base, `/api/incidents?${NTE}&limit=1`)).body?.metadata?.paging?.total;
  const missing = new Set();
  for (const endpoint of ANALYSIS) {
    if ((await api(base, `${endpoint}?preset=nte`)).status === 404) missing.add(endpoint);
  }
  const has = (endpoint) => !missing.has(endpoint);
  if (missing.size) console.log(`note: the server does not offer ${[...missing].join(', ')}; checks that need them are skipped`);

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

  await checks.run('ward shading', async () => {
    // The page's ward classes must order the wards as the counts do: a ward
    // with more incidents never gets a lighter class.
    let counts;
    if (has('/api/stats/wards')) {
      const stats = (await api(base, '/api/stats/wards?preset=nte')).body;
      counts = Object.fromEntries(stats.features.map((f) => [f.id, f.properties.total]));
    } else {
      counts = {};
      for (const f of await allIncidents(base, NTE)) if (f.properties.ward) counts[f.properties.ward] = (counts[f.properties.ward] || 0) + 1;
    }
    const fills = await page.evaluate(() => {
      const out = {};
      window.hotspot.layers.wards.eachLayer((l) => { out[l.feature.id] = l.options.fillColor; });
      return out;
    });
    const ramp = await page.evaluate(async () => (await import('./palette.js')).WARD_RAMP);
    const rank = (colour) => (ramp.includes(colour) ? ramp.indexOf(colour) + 1 : 0);
    const ids = Object.keys(fills);
    let ordered = true;
    for (const a of ids) for (const b of ids) if ((counts[a] || 0) > (counts[b] || 0) && rank(fills[a]) < rank(fills[b])) ordered = false;
    const top = ids.reduce((a, b) => ((counts[b] || 0) > (counts[a] || 0) ? b : a));
    checks.ok(ordered, 'ward classes follow the counts');
    checks.ok(rank(fills[top]) === ramp.length, 'the ward with most incidents has the darkest class', `${top}: ${fills[top]}`);
  });

  await checks.run('incident points without a hotspot layer', async () => {
    const p = await openPage(browser.context, origin);
    await p.page.goto(`${base}?method=none`);
    await waitReady(p.page);
    const groups = await p.page.locator('.cluster-icon').allTextContents();
    const sum = groups.reduce((a, t) => a + Number(t.replace(/\D/g, '')), 0);
    checks.ok(groups.length > 0, 'incidents appear as marker groups at county zoom', `${groups.length}`);
    checks.ok(sum > 0 && sum <= nteTotal, 'marker groups hold the selected incidents', `${sum} of ${nteTotal}`);
    await collect(p);
  });

  await checks.run('filter change updates URL and features', async () => {
    await page.locator('input[name="categories"][value="criminal_damage"]').uncheck();
    gen = await waitReady(page, gen);
    const url = new URL(page.url());
    checks.ok(url.searchParams.get('preset') === 'custom' && url.searchParams.get('categories') === 'violence', 'the URL records the change', url.search);
    const expected = (await api(base, '/api/incidents?categories=violence&days=fri,sat&window=20:00-04:00&scope=buffer&buffer=500&limit=1')).body.metadata.paging.total;
    const counts = await page.evaluate(() => window.hotspot.counts);
    checks.ok(counts.incidentsTotal === expected && expected < nteTotal, 'the incidents follow the filter', `${counts.incidentsTotal} vs ${expected} (nte ${nteTotal})`);
    await page.locator('#window').selectOption('');
    gen = await waitReady(page, gen);
    const search = new URL(page.url()).searchParams;
    checks.ok(!search.has('window'), 'clearing the time window clears it from the URL', page.url());
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
    await collect(second);
  });

  await checks.run('town-centre jump and details panel', async () => {
    await page.goto(`${base}?preset=all`);
    gen = await waitReady(page);
    const first = towns.features.map((f) => f.properties.name).sort()[0];
    const profileRequests = [];
    const onRequest = (r) => { if (new URL(r.url()).pathname === '/api/profile') profileRequests.push(new URL(r.url()).searchParams); };
    page.on('request', onRequest);
    await page.locator('#jump').selectOption({ label: first });
    await page.waitForFunction(() => window.hotspot.panel, null, { timeout: 15000 });
    const title = await page.locator('#panel-title').innerText();
    checks.ok(title.includes(first), 'the panel names the town centre', title);
    const panel = await page.evaluate(() => window.hotspot.panel);
    const code = towns.features.find((f) => f.properties.name === first).id;
    const everything = await allIncidents(base, '');
    const inTown = everything.filter((f) => f.properties.town_centre === code).length;
    checks.ok(panel.total === inTown, 'the panel counts the incidents in that town centre', `${panel.total} vs ${inTown}`);
    page.off('request', onRequest);
    checks.ok(profileRequests.length > 0 && profileRequests.every((q) => q.get('town_centre') === code && !q.has('bbox')),
      'the town-centre panel asks /api/profile by town_centre=, not by a box', profileRequests.map((q) => q.toString()).join(' | '));
    checks.ok(await page.locator('#panel table.how').count() === 1, 'the panel shows the hour-of-week grid');
    checks.ok(await page.locator('#panel canvas#trend').count() === 1, 'the panel shows the monthly trend chart');
    checks.ok(new URL(page.url()).searchParams.get('sel') === `tc:${code}`, 'the selection is in the URL');
    await page.screenshot({ path: path.join(shots, 'town-centre.png') });
    checks.ok((await axeSerious(page, '#panel')).length === 0, 'axe finds no serious or critical violations in the panel');
    await page.keyboard.press('Escape');
    checks.ok(await page.locator('#panel').isHidden(), 'Escape closes the panel');
    // A ward, chosen from the keyboard list: its count against a brute-force
    // count of every incident's ward.
    const busiest = Object.entries(everything.reduce((a, f) => { if (f.properties.ward) a[f.properties.ward] = (a[f.properties.ward] || 0) + 1; return a; }, {}))
      .sort((a, b) => b[1] - a[1])[0];
    await page.locator('#jump-ward').selectOption(busiest[0]);
    await page.waitForFunction((c) => window.hotspot.panel && window.hotspot.panel.code === c, busiest[0], { timeout: 15000 });
    const wardPanel = await page.evaluate(() => window.hotspot.panel);
    checks.ok(wardPanel.total === busiest[1], 'the ward panel counts the incidents in that ward', `${wardPanel.total} vs ${busiest[1]}`);
    const rows = await page.locator('#panel tbody tr').count();
    checks.ok(rows >= 1, 'the ward panel lists categories');
    await page.locator('#panel-close').click();
    checks.ok(await page.locator('#panel').isHidden() && !new URL(page.url()).searchParams.has('sel'), 'closing the panel clears the selection from the URL');
    await page.locator('#jump').selectOption({ label: first });
    await page.waitForFunction(() => window.hotspot.panel, null, { timeout: 15000 });
    await page.keyboard.press('Escape');
    const markers = await page.evaluate(() => {
      let n = 0;
      window.hotspot.map.eachLayer((l) => { if (l.getPopup && l.getPopup() && l.getLatLng) n += 1; });
      return n;
    });
    checks.ok(markers > 0, 'single incidents are shown when zoomed in', `${markers}`);
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

  const methods = [
    ['clusters', '/api/hotspots/dbscan', 'clusters'],
    ['kde', '/api/hotspots/kde', 'kde'],
    ['gistar', '/api/hotspots/gistar', 'gistar'],
  ];
  for (const [method, endpoint, shot] of methods) {
    await checks.run(`method ${method}`, async () => {
      if (!has(endpoint)) { console.log(`skip method ${method}: no ${endpoint}`); return; }
      const p = await openPage(browser.context, origin);
      await p.page.goto(`${base}?method=${method}`);
      await waitReady(p.page);
      // The first download link is the layer on screen, with the page's own
      // parameters: the numbers drawn must match it.
      const link = await p.page.locator('#downloads a').first().getAttribute('href');
      const download = await api(base, link);
      checks.ok(link.startsWith(endpoint) && download.status === 200 && Array.isArray(download.body?.features), 'the first download is the layer on screen', link);
      // The same layer for QGIS/ArcGIS: the GeoPackage link answers with a
      // GeoPackage file (SQLite header) from the server.
      const gpkgLink = await p.page.locator('#downloads a[href*="format=gpkg"]').first().getAttribute('href');
      const gpkg = await fetch(new URL(gpkgLink, base));
      const gpkgBytes = Buffer.from(await gpkg.arrayBuffer());
      checks.ok(gpkg.status === 200 && gpkgBytes.subarray(0, 15).toString() === 'SQLite format 3', 'the layer downloads as a GeoPackage', gpkgLink);
      const { body } = download;
      const hs = await p.page.evaluate(() => ({ counts: window.hotspot.counts, errors: window.hotspot.errors }));
      const legend = await p.page.locator('#legend').innerText();
      if (method === 'clusters') {
        checks.ok(hs.counts.clusters === body.features.length, 'every DBSCAN cluster is drawn', `${hs.counts.clusters} vs ${body.features.length}`);
        const labels = (await p.page.locator('.hotspot-label').allTextContents()).map((t) => Number(t.replace(/\D/g, ''))).sort((a, b) => a - b);
        const counts = body.features.map((f) => f.properties.count).sort((a, b) => a - b);
        checks.ok(JSON.stringify(labels) === JSON.stringify(counts), 'clusters are labelled with their counts', labels.join(','));
        // A cluster chosen from the list is linked by its stable id; the link
        // opens the same cluster in a fresh page.
        const target = [...body.features].sort((a, b) => b.properties.count - a.properties.count)[0];
        if (target) {
          await p.page.locator('#jump-cluster').selectOption(String(target.id));
          await p.page.waitForFunction((c) => window.hotspot.panel && window.hotspot.panel.code === c, String(target.id), { timeout: 15000 });
          const sel = new URL(p.page.url()).searchParams.get('sel');
          checks.ok(sel === `cluster:${target.id}` && /^[0-9a-f]{16}$/.test(String(target.id)), 'the cluster is in the URL by its stable id', sel);
          const again = await openPage(browser.context, origin);
          await again.page.goto(p.page.url());
          await waitReady(again.page);
          await again.page.waitForFunction(() => window.hotspot.panel, null, { timeout: 15000 }).catch(() => {});
          const reopened = await again.page.evaluate(() => window.hotspot.panel);
          checks.ok(reopened?.code === String(target.id) && reopened?.total === target.properties.count, 'a cluster link reopens the same cluster', JSON.stringify(reopened));
          const panelText = await again.page.locator('#panel').innerText();
          checks.ok(target.properties.nearest_town_centre ? panelText.includes(target.properties.nearest_town_centre.name) : true, 'the cluster panel names the nearest town centre', panelText.slice(0, 200));
          await collect(again);
        }
      } else if (method === 'kde') {
        // Cells are classed by density relative to the peak; those under
        // 10 % of it are not drawn.
        const drawn = body.features.filter((f) => f.properties.relative >= 0.1).length;
        checks.ok(hs.counts.kdeCells === drawn && drawn > 0, 'the heat surface draws its denser cells', `${hs.counts.kdeCells} vs ${drawn}`);
        checks.ok(/80–100 % of the peak/.test(legend), 'the legend explains the heat surface', legend);
      } else {
        const significant = body.features.filter((f) => f.properties.bin !== 0).length;
        checks.ok(hs.counts.giCells === significant, 'every significant Gi* cell is drawn', `${hs.counts.giCells} vs ${significant}`);
        checks.ok(legend.includes('Hot spot – 99 % confidence') && legend.includes('Cold spot – 90 % confidence'), 'the legend names the Gi* classes');
      }
      const drawnKeys = await layerFeatureKeys(p.page);
      const extra = undecorated(drawnKeys.hotspots, body);
      checks.ok(Object.keys(drawnKeys.hotspots || {}).length > 0 && extra.length === 0, `the ${method} features on the map are the server's, undecorated`, extra.slice(0, 3).join('; '));
      const help = await p.page.locator('#method-help').innerText();
      checks.ok(help.length > 40, `the ${method} method is explained in words`);
      await p.page.screenshot({ path: path.join(shots, `${shot}.png`) });
      checks.ok((await axeSerious(p.page)).length === 0, `axe: no serious violations with ${method}`);
      await collect(p);
    });
  }

  await checks.run('method defaults are the server\'s', async () => {
    const answer = await api(base, '/api/parameters');
    const defaults = answer.body?.defaults || {};
    const kdeEcho = (await api(base, '/api/hotspots/kde')).body?.metadata?.parameters;
    checks.ok(answer.status === 200 && JSON.stringify(defaults['hotspots/kde']) === JSON.stringify(kdeEcho), '/api/parameters gives what /api/hotspots/kde echoes when asked with no query', JSON.stringify(defaults['hotspots/kde']));
    // Every endpoint, under the name its answers give in metadata.endpoint
    // (compare and evaluate need their two periods, which have no default).
    const differ = [];
    for (const endpoint of ['hotspots/dbscan', 'hotspots/gistar', 'stats/wards', 'stats/town-centres', 'stats/groups', 'profile', 'incidents']) {
      const { body } = await api(base, `/api/${endpoint}`);
      if (body?.metadata?.endpoint !== endpoint || JSON.stringify(body.metadata.parameters) !== JSON.stringify(defaults[endpoint])) differ.push(endpoint);
    }
    const names = Object.keys(defaults).sort().join(',');
    checks.ok(differ.length === 0 && names === 'compare,evaluate,hotspots/dbscan,hotspots/gistar,hotspots/kde,incidents,profile,stats/groups,stats/town-centres,stats/wards', '/api/parameters names every endpoint as its metadata does, with what each echoes', `${names}; differ: ${differ.join(',')}`);
    const p = await openPage(browser.context, origin);
    await p.page.goto(`${base}?method=kde`);
    await waitReady(p.page);
    const shown = await p.page.locator('#bandwidth').inputValue();
    checks.ok(shown !== '' && shown === defaults['hotspots/kde']?.bandwidth, 'the smoothing distance shown is the server\'s default KDE bandwidth', `${shown} vs ${defaults['hotspots/kde']?.bandwidth}`);
    const link = await p.page.locator('#downloads a').first().getAttribute('href');
    checks.ok(!new URL(p.page.url()).searchParams.has('bandwidth') && new URL(link, base).searchParams.get('bandwidth') === shown, 'the heat surface is asked with it, and the URL leaves the default out', `${p.page.url()} ${link}`);
    const others = await Promise.all(['eps', 'min_points', 'cell', 'band'].map((id) => p.page.locator(`#${id}`).inputValue()));
    const expected = [defaults['hotspots/dbscan']?.eps, defaults['hotspots/dbscan']?.min_points, defaults['hotspots/gistar']?.cell, defaults['hotspots/gistar']?.band];
    checks.ok(JSON.stringify(others) === JSON.stringify(expected), 'the cluster and Gi* controls show the server\'s defaults too', `${others} vs ${expected}`);
    await collect(p);
  });

  await checks.run('compare mode', async () => {
    if (!has('/api/compare')) { console.log('skip compare: no /api/compare'); return; }
    const p = await openPage(browser.context, origin);
    await p.page.goto(`${base}?preset=custom&compare=1&from=2024-07-01&to=2024-12-31&cmp_from=2024-01-01&cmp_to=2024-06-30`);
    await waitReady(p.page);
    const hs = await p.page.evaluate(() => ({ counts: window.hotspot.counts, errors: window.hotspot.errors }));
    checks.ok(hs.counts.compared === wards.features.length, 'compare shades every ward', `${hs.counts.compared} ${JSON.stringify(hs.errors)}`);
    checks.ok(/Change on the earlier period/.test(await p.page.locator('#legend').innerText()), 'the legend explains the change colours');
    const summary = await p.page.locator('#summary').innerText();
    const total = (await api(base, `/api/compare?a_from=2024-01-01&a_to=2024-06-30&b_from=2024-07-01&b_to=2024-12-31`)).body.metadata.total;
    checks.ok(summary.includes(`${total.count_a.toLocaleString('en-GB')} in the earlier period, ${total.count_b.toLocaleString('en-GB')} in the later`), 'the summary gives both periods\' totals', summary);
    const expectedWords = total.p_value < 0.05 ? 'unlikely to be chance alone' : 'could well be chance';
    checks.ok(summary.includes(expectedWords), 'the summary says in words whether the change could be chance', `${summary} (p = ${total.p_value})`);
    // Shading by change must not write counts onto the ward features.
    const drawnKeys = await layerFeatureKeys(p.page);
    const fresh = (await api(base, '/api/layers/wards')).body;
    const extra = [...undecorated(drawnKeys.wards, fresh), ...undecorated(drawnKeys.towns, towns)];
    checks.ok(Object.keys(drawnKeys.wards || {}).length === fresh.features.length && extra.length === 0, 'ward and town-centre features carry only what the server sent', extra.slice(0, 3).join('; '));
    await p.page.screenshot({ path: path.join(shots, 'compare.png') });
    checks.ok((await axeSerious(p.page)).length === 0, 'axe: no serious violations in compare mode');
    await collect(p);
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
    // The forced 503s are logged by the browser: expected here.
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
    for (let i = 0; i < 150 && seen.size < controls.length + 5; i += 1) {
      await page.keyboard.press('Tab');
      const id = await page.evaluate(() => {
        const e = document.activeElement;
        return e ? e.id || `${e.name}=${e.value}` || e.textContent : '';
      });
      seen.add(id);
      if (controls.every((c) => seen.has(c))) break;
    }
    const missed = controls.filter((c) => !seen.has(c));
    checks.ok(missed.length === 0, `Tab reaches all ${controls.length} controls`, missed.join(', '));
    // Every control has a label a screen reader can read.
    const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, select, button')]
      .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim())
      .map((e) => e.id || e.name));
    checks.ok(unlabelled.length === 0, 'every control is labelled', unlabelled.join(', '));
  });

  await checks.run('axe-core', async () => {
    checks.ok((await axeSerious(page)).length === 0, 'axe finds no serious or critical violations');
    await page.locator('.legend-toggle').click();
    checks.ok(await page.locator('#legend h2').isHidden() && await page.locator('.legend-toggle').getAttribute('aria-expanded') === 'false', 'the legend folds away');
    await page.locator('.legend-toggle').click();
    checks.ok(await page.locator('#legend h2').isVisible(), 'and comes back');
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
    checks.ok(await page.locator('#legend').isVisible() && await page.locator('#attribution').isVisible(), 'print view keeps the legend and attribution');
    await page.screenshot({ path: path.join(shots, 'print.png') });
    await page.emulateMedia({ media: 'screen' });
  });

  const pageErrors = consoleErrors.filter((e) => !(e.text.startsWith('Failed to load resource') && /404/.test(e.text) && [...missing].some((m) => e.url.includes(m))));
  checks.ok(offOrigin.length === 0, 'no request leaves the origin', offOrigin.slice(0, 3).join(' '));
  checks.ok(pageErrors.length === 0, 'no console errors', pageErrors.slice(0, 3).map((e) => `${e.text} ${e.url}`).join(' | '));
} catch (err) {
  checks.ok(false, 'test harness', err && err.stack ? err.stack : String(err));
} finally {
  if (browser) await browser.close();
  if (server) await server.stop();
  console.log(`took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  checks.finish();
}
