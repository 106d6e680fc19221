// The words around the map: the one-line summary under the title, the
// synthetic-data notice and the sources, and the download links. Each is
// built from the view model.
import { endpointUrl } from './api.js';
import { METHOD_NAME, PAGE_SIZE } from './loader.js';
import { describeSelection, PRESETS } from './state.js';
import { changeInWords, escapeHtml, formatCount } from './format.js';

// "Weekend nights in town centres: … — 1,234 incidents, 12 clusters, most
// in X (56)."
export function summaryLine(model) {
  const { state } = model;
  const name = PRESETS[state.preset] ? PRESETS[state.preset].label : 'Custom view';
  const groupNames = model.boundaries.groupNames || {};
  let line = state.preset === 'all' && !state.group ? name : `${name}: ${describeSelection(state, groupNames)}`;
  if (model.incidents && model.incidents.withheld) line += ' — public map: no single incidents shown';
  else if (model.incidents) line += ` — ${formatCount(model.incidents.total)} incidents`;
  const parts = [line];
  if (model.hotspots && state.method === 'clusters') parts.push(`${formatCount(model.hotspots.features.length)} clusters`);
  if (model.change) {
    const { before, after, p } = model.change.total;
    const pct = before ? ` (${after >= before ? '+' : ''}${Math.round(((after - before) / before) * 100)} %)` : '';
    parts.push(`${formatCount(before)} in the earlier period, ${formatCount(after)} in the later${pct}: ${changeInWords(p ?? undefined)}`);
  }
  // Compare mode: the server's own sentence for the smallest coverage,
  // "last period's hotspots held X % of this period's incidents in Y % of the area".
  const scored = (model.evaluation || []).find((e) => e.summary);
  if (scored) parts.push(scored.summary);
  const nni = model.hotspots?.metadata?.nni;
  if (nni && Number.isFinite(nni.r)) parts.push(`nearest-neighbour index ${nni.r.toFixed(2)} (${nniInWords(nni)})`);
  if (model.wardCounts) {
    const top = Object.entries(model.wardCounts).reduce((a, b) => ((b[1] ?? 0) > a[1] ? b : a), ['', 0]);
    if (top[1] > 0) parts.push(`most in ${model.boundaries.wardNames[top[0]]} (${formatCount(top[1])})`);
  }
  return `${parts.join(', ')}.`;
}

// Clark-Evans R in words: below 1 the incidents' map points sit closer
// together than chance would put them.
export function nniInWords(nni) {
  if (!(nni.p < 0.05)) return 'no clearer clustering than chance';
  return nni.r < 1 ? 'clustered, not chance' : 'more evenly spread than chance';
}

// The notice says when incidents (or any layer) are made up; the footer
// gives the licences the server lists.
export function showProvenance(boundaries) {
  const synthetic = boundaries.syntheticLayers;
  const banner = document.getElementById('synthetic');
  banner.hidden = true;
  if (synthetic.includes('incidents')) {
    banner.textContent = 'Synthetic data: the incidents on this map are made up for demonstration. They are not real crime records.';
    banner.hidden = false;
  } else if (synthetic.length) {
    banner.textContent = `Synthetic data in: ${synthetic.join(', ')}.`;
    banner.hidden = false;
  }
  const notes = [...boundaries.licences];
  if (boundaries.towns.features.length) notes.push('Town-centre boundaries are illustrative, not official.');
  document.getElementById('attribution').textContent = notes.join(' · ');
}

// The layers on screen as files: the hotspot layer first (the same request
// the map drew), then wards with counts, incidents and the boundaries.
export function downloadsHtml(model) {
  const { state } = model;
  const items = [];
  const add = (label, url, file) => items.push(`<li><a href="${escapeHtml(url)}" download="${file}">${label}</a></li>`);
  // The same layer for QGIS and ArcGIS: GeoPackage and zipped Shapefile in
  // British National Grid, written by the server (the `format` parameter).
  const withFormat = (url, format) => `${url}${url.includes('?') ? '&' : '?'}format=${format}`;
  const hotspots = model.hotspots ? model.hotspotsUrl : '';
  const name = METHOD_NAME[state.method];
  if (hotspots) add(`${name} on the map (GeoJSON)`, hotspots, `hotspot-${state.method}.geojson`);
  if (state.wards && model.wardStats) add('Wards with counts (GeoJSON)', endpointUrl('wardStats', model.request), 'hotspot-wards.geojson');
  if (hotspots) {
    add(`${name} on the map (GeoPackage)`, withFormat(hotspots, 'gpkg'), `hotspot-${state.method}.gpkg`);
    add(`${name} on the map (Shapefile, zipped)`, withFormat(hotspots, 'shp'), `hotspot-${state.method}.zip`);
  }
  if (!model.incidents || !model.incidents.withheld) {
    add(`Incidents chosen (GeoJSON, up to ${formatCount(PAGE_SIZE)})`, endpointUrl('incidents', { ...model.request, limit: PAGE_SIZE }), 'hotspot-incidents.geojson');
  }
  add('Ward boundaries (GeoJSON)', endpointUrl('wards'), 'wards.geojson');
  add('Town-centre boundaries (GeoJSON)', endpointUrl('townCentres'), 'town-centres.geojson');
  return items.join('');
}
