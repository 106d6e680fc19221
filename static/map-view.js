// The map and its layers: boundaries drawn once, then update(model) draws
// what a view model holds (ward shading, incident points, the hotspot
// layer). The layers are listed in `layers` and their drawn numbers in
// `counts`, which the browser tests read through window.hotspot.
import * as Ly from './layers.js';
import { escapeHtml } from './format.js';
import { giStyle, kdeStyle, pointsShown } from './styles.js';

const L = window.L;

function validTileUrl(url) {
  return /^https?:\/\/[^\s]+$/.test(url) && url.includes('{z}') && url.includes('{x}') && url.includes('{y}');
}

export class MapView {
  // `onPlace(kind, feature)` is called when a ward, town centre or cluster
  // is clicked.
  constructor(element, boundaries, onPlace) {
    this.map = L.map(element, { zoomSnap: 0.5, minZoom: 7, maxZoom: 18 });
    this.map.attributionControl.setPrefix('Leaflet');
    Ly.createPanes(this.map);
    this.model = null;
    this.gridRenderer = Ly.gridRenderer();
    this.layers = {
      wards: Ly.wardsLayer(boundaries.wards, () => this.model, (f) => onPlace('ward', f)).addTo(this.map),
      towns: Ly.townCentresLayer(boundaries.towns, (f) => onPlace('tc', f)).addTo(this.map),
      groups: Ly.groupsLayer(boundaries.groups),
      points: Ly.pointsLayer(),
      hotspots: null,
      basemap: null,
    };
    this.onPlace = onPlace;
    this.counts = {
      wards: boundaries.wards.features.length,
      townCentres: boundaries.towns.features.length,
      groups: boundaries.groups.features.length,
      groupsDrawn: 0,
    };
    // Shading fades, grid cells lose their outline and single incidents
    // appear as the zoom changes.
    this.map.on('zoomend', () => { if (this.model) this._restyle(); });
  }

  update(model) {
    this.model = model;
    const { state } = model;
    const features = model.incidents ? model.incidents.features : [];
    this.layers.points.clearLayers();
    this.layers.points.addLayers(Ly.incidentMarkers(features, model.boundaries.wardNames));
    this.counts.incidents = features.length;
    this.counts.incidentsTotal = model.incidents ? model.incidents.total : undefined;
    this.counts.compared = model.change ? Object.keys(model.change.byWard).length : 0;
    this.counts.wardClasses = model.wardClasses ? model.wardClasses.length : 0;

    if (this.layers.hotspots) this.map.removeLayer(this.layers.hotspots);
    this.layers.hotspots = null;
    this.counts.clusters = undefined;
    this.counts.kdeCells = undefined;
    this.counts.giCells = undefined;
    const zoom = this.map.getZoom();
    if (model.hotspots && state.method === 'clusters') {
      this.layers.hotspots = Ly.clustersLayer(model.hotspots, (f) => this.onPlace('cluster', f));
      this.counts.clusters = model.hotspots.features.length;
    } else if (model.hotspots && state.method === 'kde') {
      this.layers.hotspots = Ly.kdeLayer(model.hotspots, this.gridRenderer, zoom);
      this.counts.kdeCells = this.layers.hotspots.getLayers().length;
    } else if (model.hotspots && state.method === 'gistar') {
      this.layers.hotspots = Ly.giLayer(model.hotspots, this.gridRenderer, zoom);
      this.counts.giCells = this.layers.hotspots.getLayers().length;
    }
    if (this.layers.hotspots) this.layers.hotspots.addTo(this.map);
    this._restyle();
  }

  _restyle() {
    const zoom = this.map.getZoom();
    Ly.restyleWards(this.layers.wards, this.model, zoom);
    if (this.layers.hotspots && this.model.state.method !== 'clusters') {
      const style = this.model.state.method === 'kde' ? kdeStyle(zoom) : giStyle(zoom);
      this.layers.hotspots.setStyle(style);
    }
    const groups = this.model.state.groups;
    if (groups && !this.map.hasLayer(this.layers.groups)) this.map.addLayer(this.layers.groups);
    if (!groups && this.map.hasLayer(this.layers.groups)) this.map.removeLayer(this.layers.groups);
    this.counts.groupsDrawn = groups ? this.layers.groups.getLayers().length : 0;
    const show = pointsShown(this.model, zoom);
    if (show && !this.map.hasLayer(this.layers.points)) this.map.addLayer(this.layers.points);
    if (!show && this.map.hasLayer(this.layers.points)) this.map.removeLayer(this.layers.points);
  }

  // No basemap unless the user gives a tile address: with none, every
  // request the page makes goes to this server. Returns a problem in words,
  // or ''.
  setBasemap(url) {
    if (this.layers.basemap) { this.map.removeLayer(this.layers.basemap); this.layers.basemap = null; }
    if (!url) return '';
    if (!validTileUrl(url)) return 'The background map address must start with http(s):// and contain {z}, {x} and {y}.';
    const host = new URL(url.replace(/[{}]/g, '')).host;
    this.layers.basemap = L.tileLayer(url, { attribution: `Background map: ${escapeHtml(host)}`, maxZoom: 19 }).addTo(this.map);
    return '';
  }

  // "lat,lon,zoom" from the link, else the whole county.
  restoreView(view) {
    const parts = view.split(',').map(Number);
    if (parts.length === 3 && parts.every(Number.isFinite)) this.map.setView([parts[0], parts[1]], parts[2], { animate: false });
    else this.fitCounty();
  }

  fitCounty() {
    const bounds = this.layers.wards.getBounds();
    // An empty ward layer has no bounds: show roughly County Durham.
    if (bounds.isValid()) this.map.fitBounds(bounds, { animate: false, padding: [10, 10] });
    else this.map.setView([54.7, -1.75], 10, { animate: false });
  }

  fitFeature(feature) {
    this.map.fitBounds(L.geoJSON(feature).getBounds(), { maxZoom: 15, animate: false, padding: [20, 20] });
  }

  viewText() {
    const c = this.map.getCenter();
    return `${c.lat.toFixed(4)},${c.lng.toFixed(4)},${this.map.getZoom()}`;
  }
}
