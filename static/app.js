// The map page: reads its state from the URL, draws wards, town centres,
// incidents and the chosen hotspot layer from hotspotd's API, and keeps the
// URL in step with every choice so a copied link reproduces the view.
// window.hotspot exposes state and counts for the browser tests.
import { ApiError, endpointUrl, getJson } from './api.js';
import * as S from './state.js';
import * as Ly from './layers.js';
import * as P from './panel.js';

const L = window.L;
const MAX_POINTS = 60000;   // beyond this the page stops paging and says so
const PAGE_SIZE = 10000;    // the server's largest page

const hotspot = {
  status: 'loading',
  generation: 0,
  state: null,
  counts: {},
  errors: [],
  map: null,
  layers: null,
  problems: [],
};
window.hotspot = hotspot;

let state = S.defaultState();
let map;
const layers = { wards: null, towns: null, points: null, analysis: null, basemap: null };
hotspot.layers = layers;
const data = { meta: null, wards: null, towns: null, incidents: [], incidentsComplete: true, wardCounts: null, wardCountSource: '' };
let legendControl;
let legendCollapsed = false;
let inFlight = null;
let generation = 0;

const $ = (id) => document.getElementById(id);

function setStatus(status) {
  hotspot.status = status;
  document.documentElement.dataset.status = status;
  $('loading').hidden = status !== 'loading';
}

function publish() {
  hotspot.state = structuredClone(state);
}

// ---- errors ------------------------------------------------------------

function showErrors(list) {
  hotspot.errors = list;
  const box = $('error');
  if (!list.length) {
    box.hidden = true;
    box.textContent = '';
    return;
  }
  box.innerHTML = `<strong>Part of the map could not be shown.</strong><ul>${list.map((e) => `<li>${Ly.escapeHtml(e)}</li>`).join('')}</ul>`;
  box.hidden = false;
}

function describeError(what, err) {
  const message = err instanceof ApiError ? err.message : `Something went wrong in the page (${err && err.message ? err.message : err}).`;
  return `${what}: ${message}`;
}

// ---- controls ----------------------------------------------------------

function buildControls() {
  const cats = $('categories');
  for (const c of S.CATEGORIES) {
    const label = document.createElement('label');
    label.innerHTML = `<input type="checkbox" name="categories" value="${c.id}"> <span class="swatch dot" style="background:${c.colour}" aria-hidden="true"></span> ${c.label}`;
    cats.append(label);
  }
  const days = $('days');
  for (const d of S.DAYS) {
    const label = document.createElement('label');
    label.innerHTML = `<input type="checkbox" name="days" value="${d.id}"> ${d.label}`;
    days.append(label);
  }
  const hint = document.createElement('p');
  hint.className = 'help';
  hint.textContent = 'None ticked means every category / every day.';
  days.append(hint);
}

const METHOD_HELP = {
  clusters: 'Clusters outline places where incidents bunch together: each needs at least the "smallest cluster" number of incidents, each within the chosen distance of another. The number on a cluster is how many incidents it holds.',
  kde: 'The heat surface spreads each incident over the smoothing distance and adds them up. Darker bands are where incidents are densest. A larger smoothing distance gives broader, smoother areas.',
  gistar: 'Splits the county into grid cells and tests whether each cell and its neighbours have more (hot) or fewer (cold) incidents than chance would give. The colour says how confident the test is: 90 %, 95 % or 99 %.',
  none: 'No hotspot layer: only wards, town centres and incident points.',
};

function writeControls() {
  const form = $('filters');
  form.preset.value = state.preset;
  for (const box of form.querySelectorAll('input[name="categories"]')) box.checked = state.categories.includes(box.value);
  for (const box of form.querySelectorAll('input[name="days"]')) box.checked = state.days.includes(box.value);
  if (state.window && ![...form.window.options].some((o) => o.value === state.window)) {
    form.window.add(new Option(state.window.replace('-', '–'), state.window));
  }
  form.window.value = state.window;
  form.from.value = state.from;
  form.to.value = state.to;
  form.scope.value = state.scope;
  form.buffer.value = state.buffer;
  form.buffer.disabled = state.scope !== 'buffer';
  for (const radio of form.querySelectorAll('input[name="method"]')) radio.checked = radio.value === state.method;
  for (const key of ['eps', 'min_points', 'bandwidth', 'cell', 'band']) form[key].value = state[key];
  for (const box of form.querySelectorAll('.params[data-method]')) box.hidden = box.dataset.method !== state.method;
  $('method-help').textContent = METHOD_HELP[state.method];
  form.points.checked = state.points;
  form.wards.checked = state.wards;
  form.compare.checked = state.compare;
  form.cmp_from.value = state.cmp_from;
  form.cmp_to.value = state.cmp_to;
  $('compare-params').hidden = !state.compare;
  $('tiles').value = state.tiles;
}

function readControls() {
  const form = $('filters');
  const next = structuredClone(state);
  next.categories = [...form.querySelectorAll('input[name="categories"]:checked')].map((b) => b.value);
  next.days = [...form.querySelectorAll('input[name="days"]:checked')].map((b) => b.value);
  next.window = form.window.value;
  next.from = form.from.value;
  next.to = form.to.value;
  next.scope = form.scope.value;
  const number = (input, fallback) => (input.value !== '' && Number.isFinite(Number(input.value)) ? Number(input.value) : fallback);
  next.buffer = number(form.buffer, state.buffer);
  next.method = form.querySelector('input[name="method"]:checked')?.value || 'clusters';
  for (const key of ['eps', 'min_points', 'bandwidth', 'cell', 'band']) next[key] = number(form[key], state[key]);
  next.points = form.points.checked;
  next.wards = form.wards.checked;
  next.compare = form.compare.checked;
  next.cmp_from = form.cmp_from.value;
  next.cmp_to = form.cmp_to.value;
  return next;
}

function onFormChange(event) {
  const target = event.target;
  if (target.hasAttribute('data-nostate')) return;
  let next;
  if (target.name === 'preset') {
    next = structuredClone(state);
    next.preset = target.value;
    if (S.PRESETS[target.value]) Object.assign(next, structuredClone(S.PRESETS[target.value].filters));
  } else {
    next = readControls();
    if (next.preset !== 'custom' && !S.matchesPreset(next, next.preset)) next.preset = 'custom';
    else if (next.preset === 'custom') {
      const match = Object.keys(S.PRESETS).find((p) => S.matchesPreset(next, p));
      if (match) next.preset = match;
    }
  }
  const viewOnly = ['points'].includes(target.name);
  commit(next, { reload: !viewOnly });
}

function commit(next, { reload = true } = {}) {
  state = next;
  hotspot.problems = [];  // notes about the opening link are stale now
  writeControls();
  writeUrl();
  publish();
  if (reload) refresh();
  else applyVisibility();
}

function writeUrl() {
  const query = S.queryFromState(state);
  const url = `${location.pathname}${query ? `?${query}` : ''}${location.hash}`;
  if (url !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(null, '', url);
}

// ---- map ---------------------------------------------------------------

function createMap() {
  map = L.map('map', { zoomSnap: 0.5, minZoom: 7, maxZoom: 18 });
  hotspot.map = map;
  Ly.createPanes(map);
  map.attributionControl.setPrefix('Leaflet');
  legendControl = L.control({ position: 'bottomright' });
  legendControl.onAdd = () => {
    const div = L.DomUtil.create('div', 'legend');
    div.id = 'legend';
    div.setAttribute('role', 'region');
    div.setAttribute('aria-label', 'Legend');
    L.DomEvent.disableScrollPropagation(div);
    L.DomEvent.disableClickPropagation(div);
    div.addEventListener('click', (e) => {
      if (!e.target.closest('.legend-toggle')) return;
      legendCollapsed = !legendCollapsed;
      updateLegend();
      div.querySelector('.legend-toggle').focus();
    });
    return div;
  };
  legendControl.addTo(map);
  layers.points = Ly.pointsLayer();
  applyBasemap();
}

function validTileUrl(url) {
  return /^https?:\/\/[^\s]+$/.test(url) && url.includes('{z}') && url.includes('{x}') && url.includes('{y}');
}

// No basemap unless the user gives a tile address: with none, every request
// the page makes goes to this server.
function applyBasemap() {
  if (layers.basemap) { map.removeLayer(layers.basemap); layers.basemap = null; }
  if (!state.tiles) return;
  if (!validTileUrl(state.tiles)) {
    hotspot.problems.push('The background map address must start with http(s):// and contain {z}, {x} and {y}.');
    return;
  }
  const host = new URL(state.tiles.replace(/[{}]/g, '')).host;
  layers.basemap = L.tileLayer(state.tiles, { attribution: `Background map: ${Ly.escapeHtml(host)}`, maxZoom: 19 }).addTo(map);
}

function restoreView() {
  const parts = state.view.split(',').map(Number);
  if (parts.length === 3 && parts.every(Number.isFinite)) {
    map.setView([parts[0], parts[1]], parts[2], { animate: false });
    return;
  }
  fitCounty();
}

function fitCounty() {
  const bounds = layers.wards ? layers.wards.getBounds() : null;
  if (bounds && bounds.isValid()) map.fitBounds(bounds, { animate: false, padding: [10, 10] });
  else map.setView([54.7, -1.75], 10, { animate: false });
}

function trackView() {
  // Shading fades when zoomed in so streets-level points stay readable.
  map.on('zoomend', () => {
    setWardOpacity();
    if (state.method === 'kde' || state.method === 'gistar') Ly.setCellOutline(layers.analysis, map.getZoom());
    applyVisibility();
  });
  map.on('moveend', () => {
    const c = map.getCenter();
    state.view = `${c.lat.toFixed(4)},${c.lng.toFixed(4)},${map.getZoom()}`;
    writeUrl();
    publish();
  });
}

// ---- static layers -----------------------------------------------------

async function loadBase() {
  const [meta, wards, towns] = await Promise.all([
    getJson('/api/layers'),
    getJson('/api/layers/wards'),
    getJson('/api/layers/town-centres'),
  ]);
  data.meta = meta;
  data.wards = wards;
  data.towns = towns;
  showProvenance(meta);
  layers.wards = Ly.wardsLayer(wards, (f) => openPlace('ward', f)).addTo(map);
  layers.towns = Ly.townCentresLayer(towns, (f) => openPlace('tc', f)).addTo(map);
  hotspot.counts.wards = wards.features.length;
  hotspot.counts.townCentres = towns.features.length;
  fillJumpList($('jump'), towns.features);
  fillJumpList($('jump-ward'), wards.features);
}

function fillJumpList(select, features) {
  const sorted = [...features].sort((a, b) => Ly.featureName(a).localeCompare(Ly.featureName(b)));
  for (const f of sorted) select.add(new Option(Ly.featureName(f), Ly.featureCode(f)));
}

function layerMeta(name) {
  return (data.meta?.layers || []).find((l) => l.name === name) || {};
}

function showProvenance(meta) {
  const synthetic = (meta.layers || []).filter((l) => l.synthetic).map((l) => l.name);
  const banner = $('synthetic');
  if (synthetic.includes('incidents')) {
    banner.textContent = 'Synthetic data: the incidents on this map are made up for demonstration. They are not real crime records.';
    banner.hidden = false;
  } else if (synthetic.length) {
    banner.textContent = `Synthetic data in: ${synthetic.join(', ')}.`;
    banner.hidden = false;
  }
  hotspot.synthetic = synthetic;
  const licences = Array.isArray(meta.licences) ? meta.licences : [];
  const notes = [...licences];
  if (layerMeta('town-centres').features) notes.push('Town-centre boundaries are illustrative, not official.');
  $('attribution').textContent = notes.join(' · ');
  const inc = layerMeta('incidents');
  if (inc.first_day && inc.last_day) {
    for (const id of ['from', 'to', 'cmp_from', 'cmp_to']) {
      $(id).min = inc.first_day;
      $(id).max = inc.last_day;
    }
  }
}

// ---- data that follows the filters -------------------------------------

async function loadPoints(values, signal) {
  const features = [];
  let offset = 0;
  let total = 0;
  for (;;) {
    const body = await getJson(endpointUrl('incidents', { ...values, limit: PAGE_SIZE, offset }), { signal });
    features.push(...(body.features || []));
    const paging = body.metadata?.paging || {};
    total = paging.total ?? features.length;
    if (paging.next_offset === null || paging.next_offset === undefined || features.length >= MAX_POINTS) break;
    offset = paging.next_offset;
  }
  return { features, total };
}

function showPoints(features) {
  layers.points.clearLayers();
  layers.points.addLayers(Ly.incidentMarkers(features));
}

async function loadAreaStats(endpoint, values, signal) {
  const body = await getJson(endpointUrl(endpoint, values), { signal });
  const stats = new Map();
  for (const f of body.features || []) {
    const p = f.properties || {};
    stats.set(String(f.id ?? p.id), { total: Number(p.total ?? 0), byCategory: p.by_category || null });
  }
  return stats;
}

// Compare mode: the dates chosen above are the "after" period, the earlier
// dates the "before" one.
function compareValues(values) {
  const { from, to, preset, ...rest } = values.preset ? S.selectionValues(state) : values;
  void from; void to; void preset;
  return { ...rest, a_from: state.cmp_from, a_to: state.cmp_to, b_from: state.from, b_to: state.to, by: 'wards' };
}

function compareReady() {
  return state.compare && state.from && state.to && state.cmp_from && state.cmp_to;
}

async function loadCompare(values, signal) {
  const body = await getJson(endpointUrl('compare', compareValues(values)), { signal });
  const pairs = new Map();
  for (const f of body.features || []) {
    const p = f.properties || {};
    pairs.set(String(f.id ?? p.id), { a: Number(p.count_b ?? 0), b: Number(p.count_a ?? 0), p: p.p_value });
  }
  const total = body.metadata?.total || null;
  pairs.total = total ? { before: Number(total.count_a ?? 0), after: Number(total.count_b ?? 0), p: total.p_value } : null;
  return pairs;
}

function countsFromIncidents(features) {
  const counts = new Map();
  for (const f of features) {
    const ward = f.properties?.ward;
    if (ward) counts.set(ward, (counts.get(ward) || 0) + 1);
  }
  return counts;
}

const METHOD_ENDPOINT = { clusters: 'dbscan', kde: 'kde', gistar: 'gistar' };
const METHOD_NAME = { clusters: 'Clusters', kde: 'Heat surface', gistar: 'Hot and cold spots' };

function methodUrl(values) {
  const endpoint = METHOD_ENDPOINT[state.method];
  if (!endpoint) return '';
  const extra = {
    clusters: { eps: state.eps, min_points: state.min_points },
    kde: { bandwidth: state.bandwidth },
    gistar: { cell: state.cell, band: state.band },
  }[state.method];
  return endpointUrl(endpoint, { ...values, ...extra });
}

async function loadMethod(values, signal) {
  const url = methodUrl(values);
  if (!url) return null;
  return getJson(url, { signal });
}

function showMethod(body) {
  if (layers.analysis) { map.removeLayer(layers.analysis); layers.analysis = null; }
  hotspot.counts.clusters = undefined;
  hotspot.counts.kdeCells = undefined;
  hotspot.counts.giCells = undefined;
  if (!body) return null;
  if (state.method === 'clusters') {
    layers.analysis = Ly.clustersLayer(body, (f) => openPlace('cluster', f));
    hotspot.counts.clusters = body.features.length;
  } else if (state.method === 'kde') {
    layers.analysis = Ly.kdeLayer(body);
    hotspot.counts.kdeCells = layers.analysis.getLayers().length;
  } else if (state.method === 'gistar') {
    layers.analysis = Ly.giLayer(body);
    hotspot.counts.giCells = layers.analysis.getLayers().length;
  }
  layers.analysis.addTo(map);
  if (state.method === 'kde' || state.method === 'gistar') Ly.setCellOutline(layers.analysis, map.getZoom());
  return body;
}

// Clusters listed biggest first, each named after the nearest town centre,
// so they can be reached from the keyboard.
function fillClusterList() {
  const select = $('jump-cluster');
  while (select.options.length > 1) select.remove(1);
  const clusters = state.method === 'clusters' && data.method ? data.method.features : [];
  select.disabled = clusters.length === 0;
  const centres = (data.towns?.features || []).map((f) => ({ name: Ly.featureName(f), at: L.geoJSON(f).getBounds().getCenter() }));
  const rows = clusters.map((f) => {
    // The server names each cluster's nearest town centre; older answers
    // without it are matched here by centre-to-centre distance.
    const given = f.properties?.nearest_town_centre;
    const at = L.geoJSON(f).getBounds().getCenter();
    const near = given ? { name: given.name } : centres.reduce((a, b) => (!a || at.distanceTo(b.at) < at.distanceTo(a.at) ? b : a), null);
    const km = given ? Number(given.distance_m) / 1000 : near ? at.distanceTo(near.at) / 1000 : Infinity;
    const where = near && km < 3 ? near.name : near ? `${km.toFixed(0)} km from ${near.name}` : 'cluster';
    return { code: Ly.featureCode(f), count: Number(f.properties?.count ?? 0), where };
  }).sort((a, b) => b.count - a.count);
  for (const r of rows) select.add(new Option(`${r.where}: ${Ly.formatCount(r.count)} incidents`, r.code));
}

// With a hotspot layer on, it is the overview: single incidents appear
// only from this zoom on, so the county view stays readable.
const POINTS_ZOOM = 12;

function setWardOpacity() {
  Ly.setWardOpacity(layers.wards, map.getZoom(), state.method === 'kde' || state.method === 'gistar');
}

function pointsWaiting() {
  return state.points && Boolean(data.method) && map.getZoom() < POINTS_ZOOM;
}

function applyVisibility() {
  const show = state.points && !pointsWaiting();
  if (show && !map.hasLayer(layers.points)) map.addLayer(layers.points);
  if (!show && map.hasLayer(layers.points)) map.removeLayer(layers.points);
  updateLegend();
}

async function refresh() {
  if (inFlight) inFlight.abort();
  const controller = new AbortController();
  inFlight = controller;
  const { signal } = controller;
  const gen = ++generation;
  setStatus('loading');
  const values = S.requestValues(state);
  const errors = [...hotspot.problems];

  const comparing = state.wards && compareReady();
  if (state.compare && !compareReady()) errors.push('Compare: choose the dates of both periods (the "Dates" above are the later period).');
  const [points, wardCounts, method, townStats, compare] = await Promise.allSettled([
    loadPoints(values, signal),
    state.wards ? loadAreaStats('wardStats', values, signal) : Promise.resolve(null),
    loadMethod(values, signal),
    loadAreaStats('townCentreStats', values, signal),
    comparing ? loadCompare(values, signal) : Promise.resolve(null),
  ]);
  if (gen !== generation) return;

  if (points.status === 'fulfilled') {
    data.incidents = points.value.features;
    data.incidentsTotal = points.value.total;
    data.incidentsComplete = points.value.features.length >= points.value.total;
    showPoints(data.incidents);
    if (!data.incidentsComplete) {
      errors.push(`Incident points: showing the first ${Ly.formatCount(data.incidents.length)} of ${Ly.formatCount(points.value.total)}. Narrow the choices to see them all.`);
    }
  } else {
    data.incidents = [];
    data.incidentsTotal = undefined;
    layers.points.clearLayers();
    errors.push(describeError('Incident points', points.reason));
  }
  hotspot.counts.incidents = data.incidents.length;
  hotspot.counts.incidentsTotal = data.incidentsTotal;

  data.wardCounts = null;
  data.wardStats = wardCounts.status === 'fulfilled' ? wardCounts.value : null;
  data.townStats = townStats.status === 'fulfilled' ? townStats.value : null;
  if (state.wards) {
    if (wardCounts.status === 'fulfilled') {
      data.wardCounts = new Map([...wardCounts.value].map(([code, s]) => [code, s.total]));
      data.wardCountSource = 'server';
    } else if (wardCounts.reason instanceof ApiError && wardCounts.reason.status === 404 && points.status === 'fulfilled' && data.incidentsComplete) {
      // A server without ward statistics: count the loaded points.
      data.wardCounts = countsFromIncidents(data.incidents);
      data.wardCountSource = 'points';
    } else {
      errors.push(describeError('Ward shading', wardCounts.reason));
    }
  }
  data.compare = null;
  if (comparing) {
    if (compare.status === 'fulfilled') data.compare = compare.value;
    else errors.push(describeError('Compare', compare.reason));
  }
  data.wardClasses = null;
  setWardOpacity();
  if (data.compare) Ly.shadeWardsByChange(layers.wards, data.compare);
  else if (data.wardCounts) data.wardClasses = Ly.shadeWards(layers.wards, data.wardCounts);
  else Ly.unshadeWards(layers.wards);
  hotspot.counts.compared = data.compare ? data.compare.size : 0;
  hotspot.counts.wardClasses = data.wardClasses ? data.wardClasses.length : 0;

  data.method = null;
  if (method.status === 'fulfilled') {
    data.method = showMethod(method.value);
  } else {
    showMethod(null);
    errors.push(describeError(METHOD_NAME[state.method] || 'Hotspots', method.reason));
  }
  fillClusterList();

  applyVisibility();
  updateSummary();
  updateDownloads(values);
  showErrors(errors);
  if (state.sel && !$('panel').hidden) restoreSelection();
  hotspot.generation = gen;
  setStatus(errors.length && points.status === 'rejected' ? 'error' : 'ready');
}

// ---- legend, summary, downloads ------------------------------------------

function updateLegend() {
  const div = $('legend');
  if (!div) return;
  const toggle = `<button type="button" class="legend-toggle" aria-expanded="${!legendCollapsed}">${legendCollapsed ? 'Show legend' : 'Hide legend'}</button>`;
  div.classList.toggle('collapsed', legendCollapsed);
  div.innerHTML = toggle + Ly.legendHtml({
    wardClasses: state.wards ? data.wardClasses : null,
    method: data.method ? state.method : 'none',
    changeClasses: state.wards && data.compare ? Ly.CHANGE_CLASSES : null,
    kde: state.method === 'kde' && data.method ? Ly.kdeScheme(data.method) : null,
    pointsShown: state.points,
    pointsWaiting: pointsWaiting(),
    categories: state.categories,
    townCentres: true,
  });
}

function updateSummary() {
  const parts = [];
  const name = S.PRESETS[state.preset] ? S.PRESETS[state.preset].label : 'Custom view';
  let line = state.preset === 'all' ? name : `${name}: ${S.describeSelection(state)}`;
  if (data.incidentsTotal !== undefined) line += ` — ${Ly.formatCount(data.incidentsTotal)} incidents`;
  parts.push(line);
  if (hotspot.counts.clusters !== undefined) parts.push(`${Ly.formatCount(hotspot.counts.clusters)} clusters`);
  if (data.compare?.total) {
    const { before, after } = data.compare.total;
    const pct = before ? ` (${after >= before ? '+' : ''}${Math.round(((after - before) / before) * 100)} %)` : '';
    const p = data.compare.total.p === undefined || data.compare.total.p === null ? undefined : Number(data.compare.total.p);
    parts.push(`${Ly.formatCount(before)} in the earlier period, ${Ly.formatCount(after)} in the later${pct}: ${Ly.changeInWords(p)}`);
  }
  if (data.wardCounts && data.wardCounts.size) {
    const [code, n] = [...data.wardCounts.entries()].reduce((a, b) => (b[1] > a[1] ? b : a));
    const ward = data.wards.features.find((f) => Ly.featureCode(f) === code);
    if (n > 0 && ward) parts.push(`most in ${Ly.featureName(ward)} (${Ly.formatCount(n)})`);
  }
  $('summary').textContent = `${parts.join(', ')}.`;
}

function updateDownloads(values) {
  const list = [];
  const add = (label, url, file) => list.push(`<li><a href="${Ly.escapeHtml(url)}" download="${file}">${label}</a></li>`);
  // The same layer for QGIS and ArcGIS: GeoPackage and zipped Shapefile in
  // British National Grid, written by the server (the `format` parameter).
  const withFormat = (url, format) => `${url}${url.includes('?') ? '&' : '?'}format=${format}`;
  const addGis = (label, url, stem) => {
    add(`${label} (GeoPackage)`, withFormat(url, 'gpkg'), `${stem}.gpkg`);
    add(`${label} (Shapefile, zipped)`, withFormat(url, 'shp'), `${stem}.zip`);
  };
  const mUrl = methodUrl(values);
  if (mUrl && data.method) add(`${METHOD_NAME[state.method]} on the map (GeoJSON)`, mUrl, `hotspot-${state.method}.geojson`);
  if (state.wards && data.wardCountSource === 'server') add('Wards with counts (GeoJSON)', endpointUrl('wardStats', values), 'hotspot-wards.geojson');
  if (mUrl && data.method) addGis(`${METHOD_NAME[state.method]} on the map`, mUrl, `hotspot-${state.method}`);
  add(`Incidents chosen (GeoJSON, up to ${Ly.formatCount(PAGE_SIZE)})`, endpointUrl('incidents', { ...values, limit: PAGE_SIZE }), 'hotspot-incidents.geojson');
  add('Ward boundaries (GeoJSON)', '/api/layers/wards', 'wards.geojson');
  add('Town-centre boundaries (GeoJSON)', '/api/layers/town-centres', 'town-centres.geojson');
  $('downloads').innerHTML = list.join('');
}

// ---- details panel -----------------------------------------------------

function pointInRing(lon, lat, ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if ((yi > lat) !== (yj > lat) && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function pointInGeometry(lon, lat, geometry) {
  if (!geometry) return false;
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : [];
  return polygons.some((rings) => pointInRing(lon, lat, rings[0]) && !rings.slice(1).some((hole) => pointInRing(lon, lat, hole)));
}

function bboxOf(layerOrFeature) {
  const b = L.geoJSON(layerOrFeature).getBounds();
  const r = (v) => Math.round(v * 1e6) / 1e6;
  return `${r(b.getWest())},${r(b.getSouth())},${r(b.getEast())},${r(b.getNorth())}`;
}

function incidentsInside(kind, code, feature) {
  return data.incidents.filter((f) => {
    const p = f.properties || {};
    if (kind === 'ward') return p.ward === code;
    if (kind === 'tc') return p.town_centre === code;
    const c = f.geometry?.coordinates;
    return c && pointInGeometry(c[0], c[1], feature.geometry);
  });
}

const WEEKDAY_NAMES = { mon: 'Mondays', tue: 'Tuesdays', wed: 'Wednesdays', thu: 'Thursdays', fri: 'Fridays', sat: 'Saturdays', sun: 'Sundays' };

// What the server says about a cluster as a whole, in sentences.
function clusterFacts(props) {
  const facts = [];
  if (Number.isInteger(props.busiest_hour)) {
    const h = props.busiest_hour;
    const pad = (n) => String(n % 24).padStart(2, '0');
    facts.push(`Busiest hour: ${pad(h)}:00–${pad(h + 1)}:00.`);
  }
  if (WEEKDAY_NAMES[props.busiest_weekday]) facts.push(`Busiest day: ${WEEKDAY_NAMES[props.busiest_weekday]}.`);
  if (Number.isFinite(props.share)) facts.push(`${(props.share * 100).toFixed(1)} % of the chosen incidents.`);
  if (Array.isArray(props.wards) && props.wards.length) {
    facts.push(`Ward${props.wards.length > 1 ? 's' : ''}: ${props.wards.map((w) => w.name).join(', ')}.`);
  }
  const near = props.nearest_town_centre;
  if (near && near.name) {
    const m = Number(near.distance_m);
    facts.push(m === 0 ? `Centred in ${near.name} town centre.` : `Centre ${m < 1000 ? `${Math.round(m)} m` : `${(m / 1000).toFixed(1)} km`} from ${near.name} town centre.`);
  }
  return facts;
}

// Panel numbers: counts by category from the area statistics (or the
// cluster's own properties), times from /api/profile for wards and town
// centres, and from the loaded points inside a cluster's outline.
async function openPlace(kind, feature, { focus = false } = {}) {
  const name = Ly.featureName(feature);
  const code = Ly.featureCode(feature);
  const sel = `${kind}:${code}`;
  state.sel = sel;
  writeUrl();
  publish();
  const props = feature.properties || {};
  const title = kind === 'ward' ? `${name} ward` : kind === 'tc' ? `${name} town centre` : `Cluster of ${Ly.formatCount(props.count ?? 0)} incidents`;
  P.showPanelMessage(title, '<p>Loading…</p>');
  if (focus) $('panel-close').focus();
  const subtitle = `${S.describeSelection(state)}${kind === 'tc' ? '; inside the town-centre boundary' : ''}.`;
  const notes = [];
  let profile = null;
  if (kind === 'cluster') {
    profile = P.profileFromIncidents(incidentsInside(kind, code, feature));
    if (props.by_category) profile.byCategory = props.by_category;
    if (props.count !== undefined) profile.total = props.count;
    notes.push('Times are counted from the incident points inside the cluster outline.');
    notes.push(...clusterFacts(props));
  } else {
    const base = S.selectionValues(state);
    const values = kind === 'ward'
      ? { ...S.requestValues(state), ward: code }
      : { ...base, scope: 'town-centres', buffer: '', bbox: bboxOf(feature) };
    try {
      profile = P.readProfile(await getJson(endpointUrl('profile', values)));
    } catch (err) {
      notes.push(describeError('Times', err));
    }
    const stats = (kind === 'ward' ? data.wardStats : data.townStats)?.get(code);
    if (!profile) profile = P.profileFromIncidents(incidentsInside(kind, code, feature));
    if (stats) {
      profile.total = stats.total;
      if (stats.byCategory) profile.byCategory = stats.byCategory;
    }
  }
  if (state.sel !== sel) return;  // another place was chosen meanwhile
  P.renderPanel(title, subtitle, profile, notes.join(' '));
  hotspot.panel = { kind, code, total: profile.total };
}

function closePanel() {
  P.closePanel();
  state.sel = '';
  hotspot.panel = null;
  writeUrl();
  publish();
}

function findFeature(kind, code) {
  const source = kind === 'ward' ? data.wards : kind === 'tc' ? data.towns : data.method;
  return source?.features.find((f) => Ly.featureCode(f) === code) || null;
}

function restoreSelection() {
  if (!state.sel) return;
  const [kind, ...rest] = state.sel.split(':');
  const feature = findFeature(kind, rest.join(':'));
  if (feature) {
    openPlace(kind, feature);
  } else {
    closePanel();
  }
}

function jumpTo(kind, code) {
  const feature = findFeature(kind, code);
  if (!feature) return;
  map.fitBounds(L.geoJSON(feature).getBounds(), { maxZoom: 15, animate: false, padding: [20, 20] });
  openPlace(kind, feature, { focus: true });
}

// ---- start -------------------------------------------------------------

function wireControls() {
  $('filters').addEventListener('change', onFormChange);
  $('filters').addEventListener('submit', (e) => e.preventDefault());
  $('jump').addEventListener('change', (e) => { if (e.target.value) jumpTo('tc', e.target.value); });
  $('jump-ward').addEventListener('change', (e) => { if (e.target.value) jumpTo('ward', e.target.value); });
  $('jump-cluster').addEventListener('change', (e) => { if (e.target.value) jumpTo('cluster', e.target.value); });
  $('whole-county').addEventListener('click', fitCounty);
  $('panel-close').addEventListener('click', closePanel);
  document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && !$('panel').hidden) closePanel(); });
  $('print').addEventListener('click', () => window.print());
  // A printed map says when it was made and how to get back to it.
  window.addEventListener('beforeprint', () => {
    const when = new Date().toLocaleString('en-GB', { dateStyle: 'long', timeStyle: 'short' });
    $('print-note').textContent = `Printed ${when}. This view online: ${location.href}`;
  });
  $('copy-link').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      $('summary').textContent = 'Link copied: paste it into an email or a meeting note to share this view.';
    } catch {
      window.prompt('Copy this link to share the view:', location.href);
    }
  });
  $('tiles-apply').addEventListener('click', () => {
    state.tiles = $('tiles').value.trim();
    hotspot.problems = [];
    applyBasemap();
    writeUrl();
    publish();
    showErrors(hotspot.problems);
  });
}

async function start() {
  const parsed = S.stateFromQuery(location.search);
  state = parsed.state;
  if (parsed.problems.length) hotspot.problems.push(`The link had values the page could not use and ignored: ${parsed.problems.join('; ')}.`);
  buildControls();
  writeControls();
  publish();
  if (!L || !L.markerClusterGroup) {
    showErrors(['The map library did not load. Run scripts/vendor-static on the server, then reload.']);
    setStatus('error');
    return;
  }
  createMap();
  wireControls();
  // A server that is still loading its data answers 503: wait for it.
  for (let attempt = 0; ; attempt += 1) {
    try {
      await loadBase();
      showErrors([]);
      break;
    } catch (err) {
      showErrors([describeError('Boundaries', err)]);
      if (err instanceof ApiError && err.status === 503 && attempt < 30) {
        $('summary').textContent = 'Waiting for the server to finish loading its data…';
        await new Promise((resolve) => { setTimeout(resolve, 2000); });
        continue;
      }
      $('summary').textContent = 'The map could not be loaded.';
      setStatus('error');
      return;
    }
  }
  restoreView();
  trackView();
  await refresh();
  restoreSelection();
}

start();
