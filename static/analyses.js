// The "Saved analyses" panel: "Save this analysis" keeps the layer on the
// map (its method and the parameters the map asked with) under a name, with
// the token the Data sources panel keeps in sessionStorage; the list shows
// each saved analysis on the map or opens it as GeoJSON or a download,
// answered by the server from the data it was made on (or says why it no
// longer can).
import { readToken, sourcesRequest } from './api.js';
import { el, shortDate } from './source-view.js';

const $ = (id) => document.getElementById(id);

// "/api/hotspots/dbscan?eps=100&…" -> the method and its parameters, as
// POST /api/analyses takes them.
export function saveQuery(layerUrl, name) {
  const url = new URL(layerUrl, 'http://page.invalid');
  const query = new URLSearchParams(url.search);
  query.set('method', url.pathname.replace(/^\/api\//, ''));
  query.set('name', name);
  return query.toString();
}

function analysisItem(a) {
  const features = a.method !== 'profile';
  const links = a.status === 'ok'
    ? [features && el('button', { type: 'button', className: 'secondary', dataset: { act: 'show' } }, 'Show on map'), ' ',
      el('a', { href: a.url, className: 'open' }, features ? 'GeoJSON' : 'JSON'), ...(features ? [' · ',
      el('a', { href: `${a.url}?format=gpkg`, download: `analysis-${a.id}.gpkg` }, 'GeoPackage'), ' · ',
      el('a', { href: `${a.url}?format=shp`, download: `analysis-${a.id}.zip` }, 'Shapefile')] : [])]
    : [el('span', { className: 'gone' }, a.reason)];
  return el('li', { className: 'analysis-item', dataset: { id: String(a.id), status: a.status } },
    el('strong', {}, a.name), ' ',
    el('span', { className: 'help' }, `${a.method}, saved ${shortDate(a.created_at, { time: true })} by ${a.created_by}`),
    el('div', { className: 'links' }, ...links));
}

export class AnalysesPanel {
  // `layerUrl()`: the URL of the layer the map shows now ('' for none);
  // `map`: the Leaflet map a saved analysis is shown on, over the live layers.
  constructor({ layerUrl, map }) {
    this.layerUrl = layerUrl;
    this.map = map;
    this.shown = null;
    this.root = $('analyses');
    this.loaded = false;
    this.root.addEventListener('toggle', () => { if (this.root.open && !this.loaded) this.refreshList(); });
    $('save-analysis').addEventListener('click', () => this.save());
    $('analyses-list').addEventListener('click', (event) => {
      const button = event.target.closest('button[data-act="show"]');
      if (button) this.show(button.closest('.analysis-item').dataset.id);
    });
  }

  // Draws saved analysis `id` as its own outlined layer (one at a time),
  // as the server answers it from the data it was made on.
  async show(id) {
    const url = `/api/analyses/${id}`;
    this.status('Loading the saved analysis…');
    const answer = await sourcesRequest(url);
    if (!answer.ok) {
      this.status(`The saved analysis could not be shown — HTTP ${answer.status}: ${answer.message}`);
      return;
    }
    if (this.shown) this.shown.remove();
    const name = answer.body.metadata.analysis.name;
    this.shown = window.L.geoJSON(answer.body, {
      style: () => ({ color: '#6a1b9a', weight: 2, dashArray: '4 3', fillOpacity: 0.1 }),
      pointToLayer: (feature, at) => window.L.circleMarker(at, { radius: 6 }),
      onEachFeature: (feature, layer) => layer.bindTooltip(name),
    }).addTo(this.map);
    window.hotspot.savedShown = { id: Number(id), features: this.shown.getLayers().length };
    const bounds = this.shown.getBounds();
    if (bounds.isValid()) this.map.fitBounds(bounds, { maxZoom: 14 });
    this.status(`Showing “${name}” (${answer.body.features.length} features, saved ${shortDate(answer.body.metadata.generated_at, { time: true })}) over the map.`);
  }

  status(text) {
    $('analyses-status').textContent = text;
  }

  async refreshList() {
    let answer;
    try {
      answer = await sourcesRequest('/api/analyses');
    } catch (err) {
      this.status(err.message);
      return;
    }
    this.loaded = true;
    if (!answer.ok) {
      this.status(answer.status === 404 ? `Saving analyses is off on this server. ${answer.message}` : answer.message);
      $('save-analysis').hidden = answer.status === 404;
      return;
    }
    const list = answer.body.analyses;
    $('analyses-list').replaceChildren(...list.map(analysisItem));
    this.status(list.length ? `${list.length} saved ${list.length === 1 ? 'analysis' : 'analyses'}.` : 'No analysis saved yet.');
  }

  async save() {
    const layer = this.layerUrl();
    if (!layer) {
      this.status('Choose a way to find hotspots first: there is no layer on the map to save.');
      return;
    }
    const name = (window.prompt('Name this analysis (shown in the list of saved analyses):') || '').trim();
    if (!name) return;
    const token = readToken();
    if (!token) {
      this.status('Saving needs a token: enter yours under "Data sources", then save again.');
      return;
    }
    this.status('Saving…');
    let answer;
    try {
      answer = await sourcesRequest(`/api/analyses?${saveQuery(layer, name)}`, { method: 'POST', token });
    } catch (err) {
      this.status(err.message);
      return;
    }
    if (!answer.ok) {
      this.status(`Saving was refused — HTTP ${answer.status}${answer.code ? ` (${answer.code})` : ''}: ${answer.message}`);
      return;
    }
    await this.refreshList();
    this.status(`Saved “${answer.body.analysis.name}” as ${answer.body.analysis.url}.`);
  }
}
