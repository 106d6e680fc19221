// Leaflet layers built from the server's GeoJSON, and the legend entries
// that describe them. Leaflet (L) and Leaflet.markercluster are loaded as
// classic scripts before this module runs.
import { categoryLabel, CATEGORIES } from './state.js';
import {
  classFor, classLabel, countClasses, giBinFromZ, giClass, GI_CLASSES, KDE_RAMP, NO_DATA,
} from './palette.js';

const L = window.L;

export const PANES = { wards: 380, analysis: 410, towns: 430 };

export function createPanes(map) {
  for (const [name, z] of Object.entries(PANES)) {
    map.createPane(name).style.zIndex = String(z);
  }
}

export function featureName(feature) {
  const p = feature.properties || {};
  return p.name || p.ward_name || p.WD13NM || p.code || String(feature.id ?? '');
}

// The area code or the cluster's stable id (derived from its members, so a
// link to a cluster finds it again after a reload).
export function featureCode(feature) {
  const p = feature.properties || {};
  const value = feature.id ?? p.id ?? p.code;
  return value === undefined || value === null ? '' : String(value);
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}
export { escapeHtml };

function formatCount(n) {
  return Number(n).toLocaleString('en-GB');
}
export { formatCount };

// ---- wards -------------------------------------------------------------

export const WARD_OUTLINE = { color: '#4d4d4d', weight: 1, fillColor: '#c7d4e0', fillOpacity: 0.25, pane: 'wards' };

export function wardsLayer(collection, onClick) {
  return L.geoJSON(collection, {
    pane: 'wards',
    style: () => ({ ...WARD_OUTLINE }),
    onEachFeature: (feature, layer) => {
      layer.bindTooltip(() => wardTooltip(feature), { sticky: true });
      layer.on('click', () => onClick(feature, layer));
    },
  });
}

// The exact test's answer in plain words; p is the two-sided p-value of
// "both periods have the same daily rate".
export function changeInWords(p) {
  if (p === undefined || Number.isNaN(p)) return 'no test: too few incidents';
  const shown = p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
  if (p < 0.01) return `very unlikely to be chance alone, ${shown}`;
  if (p < 0.05) return `unlikely to be chance alone, ${shown}`;
  return `could well be chance, ${shown}`;
}

function wardTooltip(feature) {
  const name = escapeHtml(featureName(feature));
  const count = feature.__count;
  if (count === undefined) return name;
  if (feature.__before !== undefined) {
    return `${name}: ${formatCount(feature.__before)} in the earlier period, ${formatCount(count)} in the later (${changeInWords(feature.__p)})`;
  }
  return `${name}: ${formatCount(count)} incidents`;
}

let shadeOpacity = 0.7;

// `dim` when a heat surface or Gi* grid is drawn over the wards.
export function setWardOpacity(layer, zoom, dim = false) {
  shadeOpacity = (zoom >= 14 ? 0.2 : zoom >= 12 ? 0.45 : 0.7) * (dim ? 0.5 : 1);
  layer.eachLayer((l) => { if (l.feature.__count !== undefined) l.setStyle({ fillOpacity: shadeOpacity }); });
}

// Shades wards by count; `counts` maps ward code -> count. Returns the classes
// for the legend.
export function shadeWards(layer, counts) {
  const classes = countClasses([...counts.values()]);
  layer.eachLayer((l) => {
    const code = featureCode(l.feature);
    const count = counts.get(code) ?? 0;
    l.feature.__count = count;
    delete l.feature.__before;
    delete l.feature.__significant;
    delete l.feature.__p;
    l.setStyle({ ...WARD_OUTLINE, fillColor: classFor(classes, count).colour, fillOpacity: shadeOpacity });
  });
  return classes;
}

export function unshadeWards(layer) {
  layer.eachLayer((l) => {
    delete l.feature.__count;
    delete l.feature.__before;
    delete l.feature.__significant;
    delete l.feature.__p;
    l.setStyle({ ...WARD_OUTLINE });
  });
}

// ColorBrewer PuOr (diverging, colour-blind safe): purple = fewer, orange = more.
export const CHANGE_CLASSES = [
  { max: -50, colour: '#5e3c99', label: 'Down by half or more' },
  { max: -10, colour: '#b2abd2', label: 'Down 10–50 %' },
  { max: 10, colour: '#f7f7f7', label: 'About the same (±10 %)' },
  { max: 50, colour: '#fdb863', label: 'Up 10–50 %' },
  { max: Infinity, colour: '#e66101', label: 'Up by half or more' },
];

export function changeClass(a, b) {
  // Percent change from the earlier period b to the chosen period a.
  if (b === 0) return a === 0 ? CHANGE_CLASSES[2] : CHANGE_CLASSES[4];
  const pct = ((a - b) / b) * 100;
  return CHANGE_CLASSES.find((c) => pct <= c.max);
}

export function shadeWardsByChange(layer, pairs) {
  layer.eachLayer((l) => {
    const pair = pairs.get(featureCode(l.feature)) || { a: 0, b: 0 };
    l.feature.__count = pair.a;
    l.feature.__before = pair.b;
    l.feature.__p = pair.p === undefined || pair.p === null ? undefined : Number(pair.p);
    l.feature.__significant = l.feature.__p < 0.05;
    // A thick outline marks a change unlikely to be chance.
    l.setStyle({ ...WARD_OUTLINE, fillColor: changeClass(pair.a, pair.b).colour, fillOpacity: shadeOpacity, weight: l.feature.__significant ? 3.5 : 1 });
    if (l.feature.__significant) l.bringToFront();
  });
  return CHANGE_CLASSES;
}

// ---- town centres ------------------------------------------------------

// A text label pinned to a point: below it ('below') or above it ('above').
export function mapLabel(latlng, html, className, where) {
  return L.marker(latlng, {
    icon: L.divIcon({ className: `map-label ${where}`, html: `<span class="${className}">${html}</span>`, iconSize: null }),
    interactive: false,
    keyboard: false,
    pane: 'tooltipPane',
  });
}

// Town centres: dashed outline, name below the shape so cluster counts
// (above their shapes) and names do not cover each other.
export function townCentresLayer(collection, onClick) {
  const group = L.featureGroup();
  const shapes = L.geoJSON(collection, {
    pane: 'towns',
    style: () => ({ color: '#08306b', weight: 2.5, dashArray: '5 4', fillColor: '#08306b', fillOpacity: 0.04, pane: 'towns' }),
    onEachFeature: (feature, layer) => {
      layer.bindTooltip(`${escapeHtml(featureName(feature))} town centre`, { sticky: true });
      layer.on('click', () => onClick(feature, layer));
    },
  });
  shapes.eachLayer((layer) => {
    const b = layer.getBounds();
    group.addLayer(mapLabel([b.getSouth(), b.getCenter().lng], escapeHtml(featureName(layer.feature)), 'tc-label', 'below'));
  });
  group.addLayer(shapes);
  group.shapes = shapes;
  return group;
}

// ---- incident points ---------------------------------------------------

const CATEGORY_COLOUR = Object.fromEntries(CATEGORIES.map((c) => [c.id, c.colour]));

const WEEKDAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTH = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// "2024-03-08T22:15[:00][+00:00]" or "2024-03-08" -> "Fri 8 Mar 2024, 22:15".
// Read as written: the server gives UK local time, so no conversion here.
export function formatLocalTime(text) {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?(?:[T ](\d{2}):(\d{2}))?/.exec(String(text || ''));
  if (!m) return text ? String(text) : 'time not known';
  const [, y, mo, d, h, mi] = m;
  if (!d) return `${MONTH[Number(mo) - 1]} ${y} (month only)`;
  const weekday = WEEKDAY[new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d))).getUTCDay()];
  const date = `${weekday} ${Number(d)} ${MONTH[Number(mo) - 1]} ${y}`;
  return h ? `${date}, ${h}:${mi}` : `${date} (time not known)`;
}

function incidentPopup(feature) {
  const p = feature.properties || {};
  const time = p.local_time || p.local || p.time || p.datetime || p.date || '';
  const ward = p.ward_name || p.ward || p.ward_code || 'outside the wards';
  const rows = [
    ['Category', categoryLabel(p.category)],
    ['Local time', formatLocalTime(time)],
    ['Ward', ward],
  ];
  if (p.town_centre_name || p.town_centre) rows.push(['Town centre', p.town_centre_name || p.town_centre]);
  return `<table>${rows.map(([k, v]) => `<tr><th scope="row">${k}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`;
}

export function clusterIcon(cluster) {
  const n = cluster.getChildCount();
  const size = n < 10 ? 28 : n < 100 ? 34 : n < 1000 ? 40 : 46;
  return L.divIcon({
    html: `<span>${formatCount(n)}</span>`,
    className: 'cluster-icon',
    iconSize: [size, size],
  });
}

export function pointsLayer() {
  return L.markerClusterGroup({
    iconCreateFunction: clusterIcon,
    chunkedLoading: true,
    showCoverageOnHover: false,
    maxClusterRadius: 45,
    disableClusteringAtZoom: 16,
  });
}

export function incidentMarkers(features) {
  const markers = [];
  for (const feature of features) {
    const g = feature.geometry;
    if (!g || g.type !== 'Point') continue;
    const [lon, lat] = g.coordinates;
    const colour = CATEGORY_COLOUR[feature.properties?.category] || '#4d4d4d';
    const marker = L.circleMarker([lat, lon], { radius: 5, color: '#fff', weight: 1, fillColor: colour, fillOpacity: 0.95 });
    marker.bindPopup(() => incidentPopup(feature));
    markers.push(marker);
  }
  return markers;
}

// ---- hotspot layers ----------------------------------------------------

function numberProp(p, ...names) {
  for (const n of names) {
    if (p[n] !== undefined && p[n] !== null && Number.isFinite(Number(p[n]))) return Number(p[n]);
  }
  return undefined;
}

// DBSCAN clusters: outlines with the incident count above each.
export function clustersLayer(collection, onClick) {
  const group = L.featureGroup();
  const shapes = L.geoJSON(collection, {
    pane: 'analysis',
    style: () => ({ color: '#67000d', weight: 2, fillColor: '#cb181d', fillOpacity: 0.35, pane: 'analysis' }),
    onEachFeature: (feature, layer) => {
      const n = numberProp(feature.properties || {}, 'count');
      layer.bindTooltip(`Cluster of ${n === undefined ? '?' : formatCount(n)} incidents`, { sticky: true });
      layer.on('click', () => onClick(feature, layer));
    },
    pointToLayer: (feature, latlng) => L.circleMarker(latlng, { radius: 6, pane: 'analysis' }),
  });
  shapes.eachLayer((layer) => {
    const n = numberProp(layer.feature.properties || {}, 'count');
    const b = layer.getBounds ? layer.getBounds() : L.latLngBounds([layer.getLatLng()]);
    group.addLayer(mapLabel([b.getNorth(), b.getCenter().lng], n === undefined ? 'cluster' : formatCount(n), 'hotspot-label', 'above'));
  });
  group.addLayer(shapes);
  return group;
}

// Heat-surface cells are classed by their percentile among non-zero cells
// when the server gives one, else by their density relative to the peak
// (`relative`, 0-1). The faintest cells are left out so the map shows where
// density is high.
export const KDE_SCHEMES = {
  percentile: {
    key: 'percentile',
    classes: [
      { min: 99, colour: KDE_RAMP[4], label: 'Densest 1 % of cells' },
      { min: 95, colour: KDE_RAMP[3], label: 'Densest 1–5 %' },
      { min: 90, colour: KDE_RAMP[2], label: 'Densest 5–10 %' },
      { min: 75, colour: KDE_RAMP[1], label: 'Densest 10–25 %' },
      { min: 50, colour: KDE_RAMP[0], label: 'Densest 25–50 %' },
    ],
  },
  relative: {
    key: 'relative',
    classes: [
      { min: 0.8, colour: KDE_RAMP[4], label: '80–100 % of the peak density' },
      { min: 0.6, colour: KDE_RAMP[3], label: '60–80 % of the peak' },
      { min: 0.4, colour: KDE_RAMP[2], label: '40–60 % of the peak' },
      { min: 0.2, colour: KDE_RAMP[1], label: '20–40 % of the peak' },
      { min: 0.1, colour: KDE_RAMP[0], label: '10–20 % of the peak' },
    ],
  },
};

export function kdeScheme(collection) {
  const first = collection?.features?.[0]?.properties || {};
  return first.percentile === undefined && first.relative !== undefined ? KDE_SCHEMES.relative : KDE_SCHEMES.percentile;
}

function kdeClass(p, scheme) {
  const v = numberProp(p, scheme.key);
  if (v === undefined) return null;
  return scheme.classes.find((c) => v >= c.min) || null;
}

// Thousands of grid cells draw far faster on one canvas than as SVG paths.
let analysisCanvas = null;
function canvasRenderer() {
  if (!analysisCanvas) analysisCanvas = L.canvas({ pane: 'analysis', padding: 0.2 });
  return analysisCanvas;
}

export function kdeLayer(collection) {
  const scheme = kdeScheme(collection);
  return L.geoJSON(collection, {
    pane: 'analysis',
    filter: (f) => kdeClass(f.properties || {}, scheme) !== null,
    style: (f) => ({ stroke: false, fillColor: kdeClass(f.properties || {}, scheme).colour, fillOpacity: 0.75, pane: 'analysis', renderer: canvasRenderer() }),
    onEachFeature: (feature, layer) => {
      const p = feature.properties || {};
      const density = numberProp(p, 'density');
      const text = `${kdeClass(p, scheme).label}${density === undefined ? '' : ` (about ${formatCount(Math.round(density))} incidents per km²)`}`;
      layer.bindTooltip(escapeHtml(text), { sticky: true });
    },
  });
}

// Grid cells of 100-250 m vanish at county zoom: an outline in the cell's
// own colour keeps each one a visible dot until the cells are big enough.
export function setCellOutline(layer, zoom) {
  if (!layer || !layer.eachLayer) return;
  const stroke = zoom < 12;
  layer.eachLayer((l) => {
    if (l.setStyle) l.setStyle({ stroke, weight: 3, color: l.options.fillColor, opacity: 0.9 });
  });
}

export function giBin(p) {
  const bin = numberProp(p, 'gi_bin', 'bin', 'class');
  if (bin !== undefined) return Math.max(-3, Math.min(3, Math.round(bin)));
  const z = numberProp(p, 'z', 'gi_z', 'zscore', 'z_score');
  return z === undefined ? 0 : giBinFromZ(z);
}

export function giLayer(collection) {
  return L.geoJSON(collection, {
    pane: 'analysis',
    filter: (f) => giBin(f.properties || {}) !== 0,
    style: (f) => ({ stroke: false, fillColor: giClass(giBin(f.properties || {})).colour, fillOpacity: 0.8, pane: 'analysis', renderer: canvasRenderer() }),
    onEachFeature: (feature, layer) => {
      const p = feature.properties || {};
      const n = numberProp(p, 'count', 'n');
      const text = giClass(giBin(p)).label + (n === undefined ? '' : ` (${formatCount(n)} incidents in cell)`);
      layer.bindTooltip(escapeHtml(text), { sticky: true });
    },
  });
}

// ---- legend ------------------------------------------------------------

function swatch(colour, kind = '') {
  return `<span class="swatch ${kind}" style="background:${colour};border-color:${kind === 'line' ? colour : '#555'}" aria-hidden="true"></span>`;
}

export function legendHtml({ wardClasses, changeClasses, method, kde, pointsShown, pointsWaiting, categories, townCentres }) {
  const parts = ['<h2>Legend</h2>'];
  if (townCentres) {
    parts.push(`<ul><li><span class="swatch line" style="border-top:2px dashed #08306b" aria-hidden="true"></span>Town centre (illustrative boundary)</li>`);
    parts.push(`<li>${swatch('#c7d4e0')}Ward</li></ul>`);
  }
  if (changeClasses) {
    parts.push('<h3>Change on the earlier period</h3><ul>');
    for (const c of changeClasses) parts.push(`<li>${swatch(c.colour)}${c.label}</li>`);
    parts.push('<li><span class="swatch" style="border-width:3px;background:#fff" aria-hidden="true"></span>Thick outline: change unlikely to be chance (p &lt; 0.05)</li></ul>');
  } else if (wardClasses) {
    parts.push('<h3>Incidents per ward</h3><ul>');
    for (const c of wardClasses) parts.push(`<li>${swatch(c.colour)}${classLabel(c)}</li>`);
    parts.push('</ul>');
  }
  if (method === 'clusters') {
    parts.push(`<h3>Clusters</h3><ul><li>${swatch('#cb181d')}Cluster area (number = incidents)</li></ul>`);
  } else if (method === 'kde') {
    parts.push('<h3>Heat surface</h3><ul>');
    for (const c of (kde || KDE_SCHEMES.percentile).classes) parts.push(`<li>${swatch(c.colour)}${c.label}</li>`);
    parts.push('</ul>');
  } else if (method === 'gistar') {
    parts.push('<h3>Hot and cold spots (Gi*)</h3><ul>');
    for (const c of GI_CLASSES.filter((k) => k.bin !== 0)) parts.push(`<li>${swatch(c.colour)}${c.label}</li>`);
    parts.push('<li>Cells that are not significant are not drawn.</li>');
    parts.push('</ul>');
  }
  if (pointsWaiting) {
    parts.push('<h3>Incidents</h3><p>Zoom in to see single incidents.</p>');
  } else if (pointsShown) {
    parts.push('<h3>Incidents</h3><ul>');
    for (const c of CATEGORIES.filter((k) => !categories.length || categories.includes(k.id))) {
      parts.push(`<li>${swatch(c.colour, 'dot')}${c.label}</li>`);
    }
    parts.push(`<li><span class="swatch dot" style="background:#08306b" aria-hidden="true"></span>Group of incidents (zoom in)</li></ul>`);
  }
  return parts.join('');
}

export { NO_DATA };
