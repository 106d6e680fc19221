// The "Saved analyses" panel: "Save this analysis" keeps the layer on the
// map (its method and the parameters the map asked with) under a name, with
// the token the Data sources panel keeps in sessionStorage; the list opens
// each saved analysis as GeoJSON or as a download, answered by the server
// from the data it was made on (or says why it no longer can).
import { sourcesRequest } from './api.js';
import { el, shortDate } from './source-view.js';

const TOKEN_KEY = 'hotspot.editorToken';
const $ = (id) => document.getElementById(id);

function readToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || $('source-token').value.trim();
  } catch {
    return $('source-token').value.trim();
  }
}

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
  const links = a.status === 'ok'
    ? [el('a', { href: a.url, className: 'open' }, 'GeoJSON'), ' · ',
      el('a', { href: `${a.url}?format=gpkg`, download: `analysis-${a.id}.gpkg` }, 'GeoPackage'), ' · ',
      el('a', { href: `${a.url}?format=shp`, download: `analysis-${a.id}.zip` }, 'Shapefile')]
    : [el('span', { className: 'gone' }, a.reason)];
  return el('li', { className: 'analysis-item', dataset: { id: String(a.id), status: a.status } },
    el('strong', {}, a.name), ' ',
    el('span', { className: 'help' }, `${a.method}, saved ${shortDate(a.created_at, { time: true })} by ${a.created_by}`),
    el('div', { className: 'links' }, ...links));
}

export class AnalysesPanel {
  // `layerUrl()`: the URL of the layer the map shows now ('' for none).
  constructor({ layerUrl }) {
    this.layerUrl = layerUrl;
    this.root = $('analyses');
    this.loaded = false;
    this.root.addEventListener('toggle', () => { if (this.root.open && !this.loaded) this.refreshList(); });
    $('save-analysis').addEventListener('click', () => this.save());
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
