// Pure style functions: each takes the view model (and the zoom where it
// matters) and returns what Leaflet asks for, a style or a tooltip for one
// feature. They look values up in the model by the feature's id and never
// write onto features: the GeoJSON the server sent stays exactly as sent, so
// a redraw can never read a value left over from an earlier view.
import { classFor, giClass, KDE_RAMP, suppressedClass } from './palette.js';
import { changeInWords, escapeHtml, featureCode, featureName, formatCount } from './format.js';

const WARD_OUTLINE = { color: '#4d4d4d', weight: 1, fillColor: '#c7d4e0', fillOpacity: 0.25 };
export const TOWN_CENTRE_STYLE = { color: '#08306b', weight: 2.5, dashArray: '5 4', fillColor: '#08306b', fillOpacity: 0.04 };
export const GROUP_STYLE = { color: '#1b7837', weight: 3.5, opacity: 0.9, fill: false };
export const CLUSTER_STYLE = { color: '#67000d', weight: 2, fillColor: '#cb181d', fillOpacity: 0.35 };
// A cluster on one police.uk map point is one anonymised place, not a
// spread of crime: dashed, lighter, so it does not read as a hotspot area.
const ONE_POINT_STYLE = { ...CLUSTER_STYLE, dashArray: '3 3', fillOpacity: 0.1 };
export function clusterStyle(feature) {
  return feature.properties.distinct_locations === 1 ? { ...ONE_POINT_STYLE } : { ...CLUSTER_STYLE };
}

// ColorBrewer PuOr (diverging, colour-blind safe): purple = fewer, orange = more.
export const CHANGE_CLASSES = [
  { max: -50, colour: '#5e3c99', label: 'Down by half or more' },
  { max: -10, colour: '#b2abd2', label: 'Down 10–50 %' },
  { max: 10, colour: '#f7f7f7', label: 'About the same (±10 %)' },
  { max: 50, colour: '#fdb863', label: 'Up 10–50 %' },
  { max: Infinity, colour: '#e66101', label: 'Up by half or more' },
];

// The class of the change from the earlier period to the later one.
function changeClass(after, before) {
  if (before === 0) return after === 0 ? CHANGE_CLASSES[2] : CHANGE_CLASSES[4];
  const pct = ((after - before) / before) * 100;
  return CHANGE_CLASSES.find((c) => pct <= c.max);
}

// Heat-surface cells are classed by their density relative to the peak (the
// server's `relative`, 0-1); the faintest are not drawn so the map shows
// where density is high.
export const KDE_CLASSES = [
  { min: 0.8, colour: KDE_RAMP[4], label: '80–100 % of the peak density' },
  { min: 0.6, colour: KDE_RAMP[3], label: '60–80 % of the peak' },
  { min: 0.4, colour: KDE_RAMP[2], label: '40–60 % of the peak' },
  { min: 0.2, colour: KDE_RAMP[1], label: '20–40 % of the peak' },
  { min: 0.1, colour: KDE_RAMP[0], label: '10–20 % of the peak' },
];

export function kdeClass(feature) {
  const relative = Number(feature.properties?.relative);
  return KDE_CLASSES.find((c) => relative >= c.min) || null;
}

// ---- wards ---------------------------------------------------------------

// Shading fades when zoomed in so street-level points stay readable, and
// again under a heat surface or Gi* grid.
function shadeOpacity(model, zoom) {
  const dim = model.state.method === 'kde' || model.state.method === 'gistar';
  return (zoom >= 14 ? 0.2 : zoom >= 12 ? 0.45 : 0.7) * (dim ? 0.5 : 1);
}

// What one ward shows: a change between periods, a count, or nothing.
function wardShading(model, feature) {
  // Before the first answer (a pointer resting on a ward while it loads).
  if (!model) return { kind: 'none' };
  const code = featureCode(feature);
  if (model.change) {
    const pair = model.change.byWard[code] || { before: 0, after: 0, p: null };
    return { kind: 'change', ...pair, significant: pair.p !== null && pair.p < 0.05 };
  }
  // null: suppressed in public mode (fewer than its threshold, not none).
  if (model.wardCounts) return { kind: 'count', count: code in model.wardCounts ? model.wardCounts[code] : 0 };
  return { kind: 'none' };
}

// wardStyle(model, zoom) is a Leaflet style function for the wards layer.
export function wardStyle(model, zoom) {
  const opacity = shadeOpacity(model, zoom);
  return (feature) => {
    const shading = wardShading(model, feature);
    if (shading.kind === 'change') {
      // A thick outline marks a change unlikely to be chance.
      return { ...WARD_OUTLINE, fillColor: changeClass(shading.after, shading.before).colour, fillOpacity: opacity, weight: shading.significant ? 3.5 : 1 };
    }
    if (shading.kind === 'count') {
      const shade = shading.count === null ? suppressedClass(model.wardClasses) : classFor(model.wardClasses, shading.count);
      return { ...WARD_OUTLINE, fillColor: shade.colour, fillOpacity: opacity };
    }
    return { ...WARD_OUTLINE };
  };
}

export function wardTooltip(model, feature) {
  const name = escapeHtml(featureName(feature));
  const shading = wardShading(model, feature);
  if (shading.kind === 'change') {
    return `${name}: ${formatCount(shading.before)} in the earlier period, ${formatCount(shading.after)} in the later (${changeInWords(shading.p ?? undefined)})`;
  }
  if (shading.kind === 'count') return `${name}: ${formatCount(shading.count)} incidents`;
  return name;
}

// ---- hotspot layers ------------------------------------------------------

// Grid cells of 100-250 m vanish at county zoom: an outline in the cell's
// own colour keeps each one a visible dot until the cells are big enough.
function gridCellStyle(colour, fillOpacity, zoom) {
  return { stroke: zoom < 12, weight: 3, color: colour, opacity: 0.9, fillColor: colour, fillOpacity };
}

export function kdeStyle(zoom) {
  return (feature) => gridCellStyle(kdeClass(feature).colour, 0.75, zoom);
}

export function kdeTooltip(feature) {
  const density = Number(feature.properties?.density);
  const about = Number.isFinite(density) ? ` (about ${formatCount(Math.round(density))} incidents per km²)` : '';
  return escapeHtml(`${kdeClass(feature).label}${about}`);
}

export function giStyle(zoom) {
  return (feature) => gridCellStyle(giClass(feature.properties.bin).colour, 0.8, zoom);
}

export function giTooltip(feature) {
  const p = feature.properties;
  return escapeHtml(`${giClass(p.bin).label} (${formatCount(p.count)} incidents in cell)`);
}

// ---- incident points -----------------------------------------------------

// With a hotspot layer on, it is the overview: single incidents appear only
// from this zoom on, so the county view stays readable.
const POINTS_ZOOM = 12;

export function pointsWaiting(model, zoom) {
  return model.state.points && Boolean(model.hotspots) && zoom < POINTS_ZOOM;
}

export function pointsShown(model, zoom) {
  return model.state.points && !pointsWaiting(model, zoom);
}
