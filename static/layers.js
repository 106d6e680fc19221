// Leaflet layers built from the server's GeoJSON. Styles and tooltips come
// from styles.js and read the view model; nothing here changes a feature.
// Leaflet (L) and Leaflet.markercluster are classic scripts loaded first.
import { categoryLabel, CATEGORIES } from './state.js';
import { escapeHtml, featureName, formatCount, formatLocalTime } from './format.js';
import {
  clusterStyle, giStyle, giTooltip, GROUP_STYLE, kdeClass, kdeStyle, kdeTooltip, TOWN_CENTRE_STYLE, wardStyle,
  wardTooltip,
} from './styles.js';

const L = window.L;

const PANES = { wards: 380, groups: 395, analysis: 410, towns: 430 };

export function createPanes(map) {
  for (const [name, z] of Object.entries(PANES)) map.createPane(name).style.zIndex = String(z);
}

// The wards; `currentModel()` gives the model their tooltips describe, so a
// tooltip opened after a redraw reads the new numbers.
export function wardsLayer(collection, currentModel, onClick) {
  return L.geoJSON(collection, {
    pane: 'wards',
    onEachFeature: (feature, layer) => {
      layer.bindTooltip(() => wardTooltip(currentModel(), feature), { sticky: true });
      layer.on('click', () => onClick(feature));
    },
  });
}

// Area groups (constituencies, districts, ...): thick outlines over the
// wards, with no fill, so a click still reaches the ward underneath.
export function groupsLayer(collection) {
  return L.geoJSON(collection, {
    pane: 'groups',
    style: () => ({ ...GROUP_STYLE }),
    onEachFeature: (feature, layer) => {
      const wards = Array.isArray(feature.properties.wards) ? feature.properties.wards.length : 0;
      layer.bindTooltip(`${escapeHtml(featureName(feature))}: ${wards} wards`, { sticky: true });
    },
  });
}

// Restyles the wards for a model at a zoom; wards whose change is unlikely
// to be chance come to the front so their thick outline shows whole.
export function restyleWards(layer, model, zoom) {
  layer.setStyle(wardStyle(model, zoom));
  if (model.change) {
    layer.eachLayer((l) => { if (l.options.weight > 1) l.bringToFront(); });
  }
}

// A text label pinned to a point: below it ('below') or above it ('above').
function mapLabel(latlng, html, className, where) {
  return L.marker(latlng, {
    icon: L.divIcon({ className: `map-label ${where}`, html: `<span class="${className}">${html}</span>`, iconSize: null }),
    interactive: false,
    keyboard: false,
    pane: 'tooltipPane',
  });
}

// Outlined shapes in `pane`, each with a tooltip, a click handler and a text
// label pinned below ('below') or above ('above') it. Point features, which
// have no outline, are drawn by `pointToLayer` and labelled at the point.
function labelledShapes(collection, { pane, style, tooltip, onClick, pointToLayer, label, className, where }) {
  const group = L.featureGroup();
  const shapes = L.geoJSON(collection, {
    pane,
    style: (feature) => (typeof style === 'function' ? style(feature) : { ...style }),
    onEachFeature: (feature, layer) => {
      layer.bindTooltip(tooltip(feature), { sticky: true });
      layer.on('click', () => onClick(feature));
    },
    pointToLayer,
  });
  shapes.eachLayer((layer) => {
    const b = layer.getBounds ? layer.getBounds() : L.latLngBounds([layer.getLatLng()]);
    const lat = where === 'below' ? b.getSouth() : b.getNorth();
    group.addLayer(mapLabel([lat, b.getCenter().lng], label(layer.feature), className, where));
  });
  return group.addLayer(shapes);
}

// Town centres: dashed outline, name below the shape so cluster counts
// (above their shapes) and names do not cover each other.
export function townCentresLayer(collection, onClick) {
  return labelledShapes(collection, {
    pane: 'towns',
    style: TOWN_CENTRE_STYLE,
    tooltip: (feature) => `${escapeHtml(featureName(feature))} town centre`,
    onClick,
    label: (feature) => escapeHtml(featureName(feature)),
    className: 'tc-label',
    where: 'below',
  });
}

// ---- incident points ---------------------------------------------------

const CATEGORY_COLOUR = Object.fromEntries(CATEGORIES.map((c) => [c.id, c.colour]));

function incidentPopup(feature, wardNames) {
  const p = feature.properties;
  const rows = [
    ['Category', categoryLabel(p.category)],
    ['Local time', formatLocalTime(p.occurred_at)],
    ['Ward', p.ward ? wardNames[p.ward] || p.ward : 'outside the wards'],
  ];
  return `<table>${rows.map(([k, v]) => `<tr><th scope="row">${k}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`;
}

function clusterIcon(cluster) {
  const n = cluster.getChildCount();
  const size = n < 10 ? 28 : n < 100 ? 34 : n < 1000 ? 40 : 46;
  return L.divIcon({ html: `<span>${formatCount(n)}</span>`, className: 'cluster-icon', iconSize: [size, size] });
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

export function incidentMarkers(features, wardNames) {
  return features.filter((f) => f.geometry?.type === 'Point').map((feature) => {
    const [lon, lat] = feature.geometry.coordinates;
    const colour = CATEGORY_COLOUR[feature.properties.category] || '#4d4d4d';
    const marker = L.circleMarker([lat, lon], { radius: 5, color: '#fff', weight: 1, fillColor: colour, fillOpacity: 0.95 });
    return marker.bindPopup(() => incidentPopup(feature, wardNames));
  });
}

// ---- hotspot layers ----------------------------------------------------

// DBSCAN clusters: outlines with the incident count above each.
export function clustersLayer(collection, onClick) {
  return labelledShapes(collection, {
    pane: 'analysis',
    style: clusterStyle,
    tooltip: (feature) => `Cluster of ${formatCount(feature.properties.count)} incidents${feature.properties.distinct_locations === 1 ? ' on one map point (police.uk places these crimes here, the true locations are nearby)' : ''}`,
    onClick,
    // Coincident or collinear members have no outline: a point instead.
    pointToLayer: (feature, latlng) => L.circleMarker(latlng, { radius: 6, pane: 'analysis', ...clusterStyle(feature) }),
    label: (feature) => formatCount(feature.properties.count),
    className: 'hotspot-label',
    where: 'above',
  });
}

// Thousands of grid cells draw far faster on one canvas than as SVG paths.
// The map keeps one such canvas for every grid layer it shows (Leaflet
// never removes a renderer, so a new one per redraw would pile up).
export function gridRenderer() {
  return L.canvas({ pane: 'analysis', padding: 0.2 });
}

function gridLayer(collection, renderer, keep, style, tooltip) {
  return L.geoJSON(collection, {
    pane: 'analysis',
    renderer,
    filter: keep,
    style,
    onEachFeature: (feature, layer) => layer.bindTooltip(tooltip(feature), { sticky: true }),
  });
}

export function kdeLayer(collection, renderer, zoom) {
  return gridLayer(collection, renderer, (f) => kdeClass(f) !== null, kdeStyle(zoom), kdeTooltip);
}

// Only cells that are significant (bin other than 0) are drawn.
export function giLayer(collection, renderer, zoom) {
  return gridLayer(collection, renderer, (f) => f.properties.bin !== 0, giStyle(zoom), giTooltip);
}
