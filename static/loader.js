// Turns hotspotd's answers into plain objects the rest of the page draws
// from. loadViewModel() gathers everything one view needs into ONE view
// model; the map layers, legend, panel and summary only read it. Nothing
// here touches Leaflet or the DOM, and no server object is changed: counts
// keyed by area id live beside the GeoJSON, not on it.
import { ApiError, endpointUrl, getJson } from './api.js';
import { countClasses } from './palette.js';
import { requestValues, selectionValues } from './state.js';

const MAX_POINTS = 60000;   // beyond this the page stops paging and says so
export const PAGE_SIZE = 10000;    // the server's largest page

const METHOD_ENDPOINT = { clusters: 'dbscan', kde: 'kde', gistar: 'gistar' };
export const METHOD_NAME = { clusters: 'Clusters', kde: 'Heat surface', gistar: 'Hot and cold spots' };

export function describeError(what, err) {
  const message = err instanceof ApiError ? err.message : `Something went wrong in the page (${err && err.message ? err.message : err}).`;
  return `${what}: ${message}`;
}

// ---- what does not change with the choices -------------------------------

// The server's defaults and the boundary layers, fetched once at start.
export async function loadStart() {
  const [parameters, meta, wards, towns, groups] = await Promise.all([
    getJson(endpointUrl('parameters')),
    getJson(endpointUrl('layers')),
    getJson(endpointUrl('wards')),
    getJson(endpointUrl('townCentres')),
    getJson(endpointUrl('groups')),
  ]);
  const layer = (name) => meta.layers.find((l) => l.name === name) || {};
  // Public mode: no points, counts below min_count suppressed (null).
  const disclosure = { public: parameters.public === true, minCount: parameters.min_count ?? null };
  const boundaries = {
    disclosure,
    wards,
    towns,
    groups,
    licences: meta.licences || [],
    syntheticLayers: meta.layers.filter((l) => l.synthetic).map((l) => l.name),
    areaName: meta.area ? meta.area.name : '',
    warnings: meta.warnings || [],
    townsOutside: layer('town-centres').outside_wards || [],
    firstDay: layer('incidents').first_day || '',
    lastDay: layer('incidents').last_day || '',
    wardNames: Object.fromEntries(wards.features.map((f) => [String(f.id), f.properties.name])),
    groupNames: Object.fromEntries(groups.features.map((f) => [String(f.id), f.properties.name])),
  };
  return { parameters, boundaries };
}

// After the store changed (an upload, a replacement, a withdrawal): the
// parts of `boundaries` that come from the incidents, read again in place.
export async function reloadProvenance(boundaries) {
  const meta = await getJson(endpointUrl('layers'));
  const layer = meta.layers.find((l) => l.name === 'incidents') || {};
  Object.assign(boundaries, {
    licences: meta.licences || [],
    warnings: meta.warnings || [],
    syntheticLayers: meta.layers.filter((l) => l.synthetic).map((l) => l.name),
    firstDay: layer.first_day || '',
    lastDay: layer.last_day || '',
  });
  return boundaries;
}

// ---- what follows the choices --------------------------------------------

async function loadIncidents(values, signal) {
  const features = [];
  let offset = 0;
  let total = 0;
  for (;;) {
    const body = await getJson(endpointUrl('incidents', { ...values, limit: PAGE_SIZE, offset }), { signal });
    features.push(...body.features);
    total = body.metadata.paging.total;
    const next = body.metadata.paging.next_offset;
    if (next === null || features.length >= MAX_POINTS) break;
    offset = next;
  }
  return { features, total, complete: features.length >= total };
}

// { areaId: { total, byCategory } } from /api/stats/wards or /town-centres;
// `seen.counts` receives the answer's metadata.counts (the selection funnel).
async function loadAreaStats(endpoint, values, signal, seen = {}) {
  const body = await getJson(endpointUrl(endpoint, values), { signal });
  seen.counts = body.metadata.counts;
  return Object.fromEntries(body.features.map((f) => [String(f.id), { total: f.properties.total, byCategory: f.properties.by_category }]));
}

function compareReady(state) {
  return Boolean(state.compare && state.from && state.to && state.cmp_from && state.cmp_to);
}

// Compare mode: the dates chosen above are the later period ("b" to the
// server), the earlier dates the "a" one.
async function loadChange(state, signal) {
  const { from, to, ...filters } = selectionValues(state);
  void from; void to;
  const values = { ...filters, a_from: state.cmp_from, a_to: state.cmp_to, b_from: state.from, b_to: state.to, by: 'wards' };
  const body = await getJson(endpointUrl('compare', values), { signal });
  const pair = (p) => ({ before: p.count_a, after: p.count_b, p: p.p_value ?? null });
  return {
    byWard: Object.fromEntries(body.features.map((f) => [String(f.id), pair(f.properties)])),
    total: pair(body.metadata.total),
  };
}

// Compare mode with a hotspot method: how well the earlier period's
// hotspots (the method on the map, fitted there) held the later period's
// incidents, at the server's default coverages.
const EVALUATE_METHOD = { clusters: 'dbscan', kde: 'kde', gistar: 'gistar' };

async function loadEvaluate(state, signal) {
  const { from, to, ...filters } = selectionValues(state);
  void from; void to;
  const method = EVALUATE_METHOD[state.method];
  const own = {
    dbscan: { eps: state.eps, min_points: state.min_points },
    kde: { bandwidth: state.bandwidth },
    gistar: { cell: state.cell, band: state.band },
  }[method];
  const values = { ...filters, ...own, method, train_from: state.cmp_from, train_to: state.cmp_to, test_from: state.from, test_to: state.to };
  const body = await getJson(endpointUrl('evaluate', values), { signal });
  return body.features.map((f) => f.properties);
}

// The URL of the hotspot layer the state asks for ('' for none); the layer
// on screen and its download are the same request.
function hotspotsUrl(state) {
  const endpoint = METHOD_ENDPOINT[state.method];
  if (!endpoint) return '';
  const own = {
    clusters: { eps: state.eps, min_points: state.min_points },
    kde: { bandwidth: state.bandwidth },
    gistar: { cell: state.cell, band: state.band },
  }[state.method];
  return endpointUrl(endpoint, { ...requestValues(state), ...own });
}

// Everything one view draws, as one plain object. Parts that fail are null
// and their reason is in `errors`, in words.
export async function loadViewModel(state, boundaries, signal) {
  const values = requestValues(state);
  const comparing = state.wards && compareReady(state);
  const url = hotspotsUrl(state);
  // Public mode publishes no points: /api/incidents answers 403, so the
  // page does not ask.
  const withheld = boundaries.disclosure && boundaries.disclosure.public;
  const wardAnswer = {};
  const evaluating = compareReady(state) && Boolean(EVALUATE_METHOD[state.method]);
  const [incidents, wardStats, townStats, change, hotspots, evaluation] = await Promise.allSettled([
    withheld ? { features: [], total: null, complete: true, withheld: true } : loadIncidents(values, signal),
    loadAreaStats('wardStats', values, signal, wardAnswer),
    loadAreaStats('townCentreStats', values, signal),
    comparing ? loadChange(state, signal) : null,
    url ? getJson(url, { signal }) : null,
    evaluating ? loadEvaluate(state, signal) : null,
  ]);
  const errors = [];
  const take = (settled, what) => {
    if (settled.status === 'fulfilled') return settled.value;
    errors.push(describeError(what, settled.reason));
    return null;
  };
  const model = {
    state: structuredClone(state),
    boundaries,
    request: values,
    incidents: take(incidents, 'Incident points'),
    wardStats: take(wardStats, 'Ward shading'),
    townStats: take(townStats, 'Town-centre counts'),
    change: take(change, 'Compare'),
    hotspots: take(hotspots, METHOD_NAME[state.method] || 'Hotspots'),
    hotspotsUrl: url,
    // What the selection kept and why the rest left (metadata.counts).
    selectionCounts: wardAnswer.counts || null,
    evaluation: take(evaluation, 'Hotspot accuracy'),
    wardCounts: null,
    wardClasses: null,
    errors,
  };
  if (state.compare && !compareReady(state)) errors.push('Compare: choose the dates of both periods (the "Dates" above are the later period).');
  if (model.incidents && !model.incidents.complete) {
    errors.push(`Incident points: showing the first ${model.incidents.features.length.toLocaleString('en-GB')} of ${model.incidents.total.toLocaleString('en-GB')}. Narrow the choices to see them all.`);
  }
  if (state.wards && !model.change && model.wardStats) {
    model.wardCounts = Object.fromEntries(Object.entries(model.wardStats).map(([code, s]) => [code, s.total]));
    model.wardClasses = countClasses(Object.values(model.wardCounts));
  }
  return model;
}

// ---- one place's profile -------------------------------------------------

// /api/profile's answer as { matrix (7 x 24, Monday first), monthly
// [{key: 'YYYY-MM', count}], total }; every selected row counts in the
// monthly trend, whatever its precision, so the total is their sum.
function readProfile(body) {
  const monthly = body.monthly.map((m) => ({ key: m.month, count: m.count }));
  // A suppressed month (null, public mode) leaves the sum unknown: the
  // server's own (rounded) total then.
  const total = monthly.some((m) => m.count === null) ? body.metadata?.counts?.selected ?? null
    : monthly.reduce((a, m) => a + m.count, 0);
  return { matrix: body.hour_of_week, monthly, total };
}

// The profile of a place ({kind: 'ward' | 'tc' | 'cluster', code, feature}) under the
// model's choices, with its counts by category from the model.
export async function loadPlaceProfile(model, place) {
  const { state } = model;
  const values = requestValues(state);
  const ask = {
    ward: { ...values, ward: place.code },
    tc: { ...values, town_centre: place.code },
    cluster: { ...values, cluster: place.code, eps: state.eps, min_points: state.min_points },
  }[place.kind];
  const profile = readProfile(await getJson(endpointUrl('profile', ask)));
  if (place.kind === 'cluster') {
    const props = place.feature.properties;
    return { ...profile, total: props.count, byCategory: props.by_category };
  }
  const stats = (place.kind === 'ward' ? model.wardStats : model.townStats)?.[place.code];
  return stats ? { ...profile, total: stats.total, byCategory: stats.byCategory } : profile;
}
