// Browser test on data of real shape (tests/fixtures/real-data): another
// area's wards (a Shapefile) and a police.uk file of month-only rows, with the
// bundled town centres, none of which overlaps those wards. The page opens
// on the weekend-night view, which holds nothing; it must say why in words,
// offer a view that fits, and show the data's own name, warnings, load
// report and attribution. Every number is checked against the API.
import path from 'node:path';
import {
  Checks, launchBrowser, openPage, screenshotDir, sourceDir, startServer, waitReady,
} from './harness.mjs';

const checks = new Checks('page real-data');
const fixture = path.join(sourceDir, 'tests/fixtures/real-data');
let server;
let browser;

async function api(base, pathAndQuery) {
  const response = await fetch(new URL(pathAndQuery, base));
  return response.json();
}

const commas = (n) => n.toLocaleString('en-GB');

try {
  server = await startServer([
    '--wards', path.join(fixture, 'darlington-wards.shp'),
    '--incidents', `police-uk:${path.join(fixture, 'darlington-street.csv')}`,
  ]);
  const base = server.url;
  const origin = base.replace(/\/$/, '');
  const layers = await api(base, '/api/layers');
  const report = await api(base, '/api/load-report');
  const loaded = layers.layers.find((l) => l.name === 'incidents').features;
  const twoCategories = (await api(base, '/api/incidents?limit=1&category=violence,criminal_damage')).metadata.paging.total;
  checks.ok(loaded > 0 && twoCategories > 0, 'the fixture loads incidents of the default categories', `${loaded}, ${twoCategories}`);

  browser = await launchBrowser();
  const { page, offOrigin, consoleErrors } = await openPage(browser.context, origin);
  await page.goto(base);
  let gen = await waitReady(page);

  await checks.run('the empty default view is explained', async () => {
    const total = await page.evaluate(() => window.hotspot.counts.incidentsTotal);
    checks.ok(total === 0, 'the weekend-night view holds no incidents', `${total}`);
    const story = await page.locator('#selection-story').innerText();
    checks.ok(story.includes(`${commas(loaded)} incidents loaded`), 'the page says how many incidents were loaded', story);
    checks.ok(story.includes(`${commas(twoCategories)} have only a month, so they cannot be placed on a night of the week`),
      'the page says the month-only rows cannot be placed on a night', story);
    checks.ok(story.includes(`${commas(loaded - twoCategories)} not in the chosen categories`), 'the page counts the other categories', story);
    const offers = await page.locator('#selection-story button').allInnerTexts();
    checks.ok(offers.some((t) => /everywhere, all times/i.test(t)), 'a view that fits is offered', offers.join(' | '));
    checks.ok(!offers.some((t) => /town centres/i.test(t)), 'no town-centre view is offered when no centre overlaps the wards', offers.join(' | '));
    await page.screenshot({ path: path.join(screenshotDir(), 'real-data-empty.png') });
  });

  await checks.run('the view that fits shows the incidents', async () => {
    await page.locator('#selection-story button', { hasText: /everywhere, all times/i }).click();
    gen = await waitReady(page, gen);
    const total = await page.evaluate(() => window.hotspot.counts.incidentsTotal);
    checks.ok(total === twoCategories, 'everywhere, all times shows every incident of the chosen categories', `${total} vs ${twoCategories}`);
    const url = new URL(page.url());
    checks.ok(url.searchParams.get('scope') === null && !url.searchParams.get('window'), 'the URL holds the new view', url.search);
    const hidden = await page.locator('#selection-story').isHidden();
    checks.ok(hidden, 'nothing is left to explain');
  });

  await checks.run('names, warnings and attribution come from the data', async () => {
    const title = await page.title();
    const heading = await page.locator('.banner h1').innerText();
    checks.ok(layers.area.name === 'Darlington' && title.includes('Darlington') && heading.includes('Darlington'),
      'the title names the area of the loaded wards', `${title} / ${heading}`);
    const text = await page.locator('body').innerText();
    checks.ok(!text.includes('County Durham'), 'no "County Durham" anywhere on the page');
    const warnings = await page.locator('#data-warnings').innerText();
    checks.ok(layers.warnings.length === 1 && warnings.includes(layers.warnings[0]), 'the town-centre warning is shown', warnings);
    const attribution = await page.locator('#attribution').innerText();
    checks.ok(!/Open Government|Crown copyright|police\.uk|Ordnance Survey/i.test(attribution),
      'no credit line for files that came without a licence option', attribution);
  });

  await checks.run('the load report is on the page', async () => {
    const file = report.files.find((f) => f.kind === 'incidents');
    const outside = file.issues.outside_study_area;
    checks.ok(outside > 0, 'the fixture has rows outside the wards', JSON.stringify(file.issues));
    const summary = await page.locator('#load-report-summary').innerText();
    checks.ok(summary.includes(`${commas(file.rows_accepted)} incidents accepted, ${commas(file.rows_rejected)} rejected`),
      'the load report summary is visible with its counts', summary);
    await page.locator('#load-report-summary').click();
    const body = await page.locator('#load-report-files').innerText();
    checks.ok(body.includes(`outside the loaded wards (the study area) (outside_study_area): ${commas(outside)}`),
      'the report names the rows outside the study area with their count', body.slice(0, 400));
  });

  await checks.run('a phone-sized screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(base);
    await waitReady(page);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    checks.ok(!wide, 'nothing scrolls sideways at 390 px');
    await page.screenshot({ path: path.join(screenshotDir(), 'real-data-phone.png') });
  });

  checks.ok(offOrigin.length === 0, 'no request leaves the origin', offOrigin.join(' '));
  checks.ok(consoleErrors.length === 0, 'no console errors', JSON.stringify(consoleErrors.slice(0, 3)));
} catch (err) {
  checks.ok(false, 'the real-data page test ran', err && err.stack ? err.stack : String(err));
} finally {
  if (browser) await browser.close();
  if (server) await server.stop();
  checks.finish();
}
