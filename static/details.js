// The details panel for a ward, town centre or cluster, as a Leaflet control
// over the map's right edge (Leaflet's choropleth "info" control is the
// model). It shows one selection, 'ward:CODE', 'tc:CODE' or 'cluster:ID',
// against the current view model: update(model) redraws it for new
// choices, select(sel) changes what it shows.
import { describeError, loadPlaceProfile } from './loader.js';
import { clusterFacts, drawTrend, profileHtml } from './profile-view.js';
import { describeSelection } from './state.js';
import { escapeHtml, featureCode, featureName, formatCount } from './format.js';

const L = window.L;

// The feature a selection names in the model, or null when this view has
// none (a cluster that the new choices no longer find).
export function findPlace(model, sel) {
  const [kind, ...rest] = sel.split(':');
  const code = rest.join(':');
  const source = { ward: model.boundaries.wards, tc: model.boundaries.towns, cluster: model.state.method === 'clusters' ? model.hotspots : null }[kind];
  const feature = source?.features.find((f) => featureCode(f) === code);
  return feature ? { kind, code, feature } : null;
}

function titleOf(place) {
  const name = featureName(place.feature);
  if (place.kind === 'ward') return `${name} ward`;
  if (place.kind === 'tc') return `${name} town centre`;
  return `Cluster of ${formatCount(place.feature.properties.count)} incidents`;
}

export const DetailsControl = L.Control.extend({
  options: {
    position: 'topright',
    onSelect: () => {},           // (sel) when the panel opens a place or closes ('')
    onShown: () => {},            // ({kind, code, total} | null) once drawn, for tests
  },

  initialize(options) {
    L.setOptions(this, options);
    this._sel = '';
    this._model = null;
    this._chart = null;
    this._drawing = 0;   // ignores a slow answer for a place no longer shown
  },

  onAdd() {
    const div = L.DomUtil.create('section', 'panel');
    div.id = 'panel';
    div.hidden = true;
    div.tabIndex = -1;
    div.setAttribute('aria-labelledby', 'panel-title');
    div.innerHTML = '<div class="panel-head"><h2 id="panel-title">Details</h2>'
      + '<button type="button" id="panel-close" aria-label="Close details">×</button></div><div id="panel-body"></div>';
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    div.querySelector('#panel-close').addEventListener('click', () => this.select(''));
    this._onKey = (e) => { if (e.key === 'Escape' && !div.hidden) this.select(''); };
    // Leaflet keeps controls inside the map box, which prints as one block
    // of fixed height; the details print on their own page after it, so for
    // printing the panel moves below the layout and comes back afterwards.
    this._beforePrint = () => {
      this._home = div.parentNode;
      document.querySelector('.layout').after(div);
    };
    this._afterPrint = () => { if (this._home) this._home.append(div); };
    document.addEventListener('keydown', this._onKey);
    window.addEventListener('beforeprint', this._beforePrint);
    window.addEventListener('afterprint', this._afterPrint);
    this._div = div;
    return div;
  },

  onRemove() {
    document.removeEventListener('keydown', this._onKey);
    window.removeEventListener('beforeprint', this._beforePrint);
    window.removeEventListener('afterprint', this._afterPrint);
  },

  isOpen() {
    return Boolean(this._sel);
  },

  // Shows a selection ('' closes the panel); `focus` moves the keyboard to
  // the panel, for a place chosen from a list.
  select(sel, { focus = false } = {}) {
    this._sel = sel;
    this.options.onSelect(sel);
    this._draw();
    if (focus && sel) this._div.querySelector('#panel-close').focus();
  },

  update(model) {
    this._model = model;
    this._draw();
  },

  _setBody(title, html) {
    if (this._chart) { this._chart.destroy(); this._chart = null; }
    this._div.querySelector('#panel-title').textContent = title;
    this._div.querySelector('#panel-body').innerHTML = html;
    this._div.hidden = false;
  },

  _close() {
    if (this._chart) { this._chart.destroy(); this._chart = null; }
    this._div.hidden = true;
    this.options.onShown(null);
  },

  async _draw() {
    const drawing = ++this._drawing;
    const model = this._model;
    if (!this._sel || !model) { if (!this._sel) this._close(); return; }
    const place = findPlace(model, this._sel);
    if (!place) { this.select(''); return; }
    const title = titleOf(place);
    this._setBody(title, '<p>Loading…</p>');
    const subtitle = `${describeSelection(model.state, model.boundaries.groupNames)}${place.kind === 'tc' ? '; inside the town-centre boundary' : ''}.`;
    const notes = place.kind === 'cluster' ? clusterFacts(place.feature.properties) : [];
    let profile;
    try {
      profile = await loadPlaceProfile(model, place);
    } catch (err) {
      if (drawing !== this._drawing) return;
      this._setBody(title, `<p>${escapeHtml(describeError('Details', err))}</p>`);
      this.options.onShown({ kind: place.kind, code: place.code, total: undefined });
      return;
    }
    if (drawing !== this._drawing) return;  // another place or view came meanwhile
    this._setBody(title, profileHtml(subtitle, profile, notes.join(' ')));
    const canvas = this._div.querySelector('#trend');
    if (canvas) this._chart = drawTrend(canvas, profile.monthly);
    this.options.onShown({ kind: place.kind, code: place.code, total: profile.total });
  },
});
