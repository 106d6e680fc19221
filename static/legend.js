// The legend, as a Leaflet control in the map's corner: it explains every
// colour the current view model puts on screen, and folds away on request.
import { CATEGORIES } from './state.js';
import { classLabel, GI_CLASSES, suppressedClass } from './palette.js';
import { escapeHtml, suppressedText } from './format.js';
import { CHANGE_CLASSES, KDE_CLASSES, pointsWaiting } from './styles.js';

const L = window.L;

function swatch(colour, kind = '') {
  return `<span class="swatch ${kind}" style="background:${colour};border-color:${kind === 'line' ? colour : '#555'}" aria-hidden="true"></span>`;
}

function list(items) {
  return `<ul>${items.map((item) => `<li>${item}</li>`).join('')}</ul>`;
}

// The legend's HTML for a view model at a zoom.
function legendHtml(model, zoom) {
  const { state } = model;
  const parts = ['<h2>Legend</h2>', list([
    '<span class="swatch line" style="border-top:2px dashed #08306b" aria-hidden="true"></span>Town centre (illustrative boundary)',
    `${swatch('#c7d4e0')}Ward`,
    ...(state.groups ? ['<span class="swatch line" style="border-top:3px solid #1b7837" aria-hidden="true"></span>Area group (each ward in the group holding most of it)'] : []),
  ])];
  if (state.wards && model.change) {
    parts.push('<h3>Change on the earlier period</h3>', list([
      ...CHANGE_CLASSES.map((c) => `${swatch(c.colour)}${c.label}`),
      '<span class="swatch" style="border-width:3px;background:#fff" aria-hidden="true"></span>Thick outline: change unlikely to be chance (p &lt; 0.05)',
    ]));
  } else if (state.wards && model.wardClasses) {
    const rows = model.wardClasses.map((c) => `${swatch(c.colour)}${classLabel(c)}`);
    if (Object.values(model.wardCounts || {}).some((n) => n === null)) {
      rows.splice(1, 0, `${swatch(suppressedClass(model.wardClasses).colour)}${escapeHtml(suppressedText())}`);
    }
    parts.push('<h3>Incidents per ward</h3>', list(rows));
  }
  if (model.hotspots && state.method === 'clusters') {
    parts.push('<h3>Clusters</h3>', list([`${swatch('#cb181d')}Cluster area (number = incidents)`]));
  } else if (model.hotspots && state.method === 'kde') {
    parts.push('<h3>Heat surface</h3>', list(KDE_CLASSES.map((c) => `${swatch(c.colour)}${c.label}`)));
  } else if (model.hotspots && state.method === 'gistar') {
    parts.push('<h3>Hot and cold spots (Gi*)</h3>', list([
      ...GI_CLASSES.filter((k) => k.bin !== 0).map((c) => `${swatch(c.colour)}${c.label}`),
      'Cells that are not significant are not drawn.',
    ]));
  }
  const disclosure = model.boundaries.disclosure;
  if (disclosure && disclosure.public) {
    const k = disclosure.minCount;
    parts.push('<h3>Public map</h3>', `<p>No single incidents are shown. Counts below ${k} show as "${escapeHtml(suppressedText())}"; other counts are rounded to the nearest ${k}. Clusters and cells with fewer than ${k} incidents are not drawn.</p>`);
  } else if (pointsWaiting(model, zoom)) {
    parts.push('<h3>Incidents</h3><p>Zoom in to see single incidents.</p>');
  } else if (state.points) {
    const shown = CATEGORIES.filter((k) => !state.categories.length || state.categories.includes(k.id));
    parts.push('<h3>Incidents</h3>', list([
      ...shown.map((c) => `${swatch(c.colour, 'dot')}${c.label}`),
      '<span class="swatch dot" style="background:#08306b" aria-hidden="true"></span>Group of incidents (zoom in)',
    ]));
  }
  return parts.join('');
}

export const LegendControl = L.Control.extend({
  options: { position: 'bottomright' },

  initialize(options) {
    L.setOptions(this, options);
    this._model = null;
    this._collapsed = false;
  },

  onAdd(map) {
    const div = L.DomUtil.create('div', 'legend');
    div.id = 'legend';
    div.setAttribute('role', 'region');
    div.setAttribute('aria-label', 'Legend');
    L.DomEvent.disableScrollPropagation(div);
    L.DomEvent.disableClickPropagation(div);
    div.addEventListener('click', (e) => {
      if (!e.target.closest('.legend-toggle')) return;
      this._collapsed = !this._collapsed;
      this._render();
      div.querySelector('.legend-toggle').focus();
    });
    // Whether single incidents show depends on the zoom.
    map.on('zoomend', () => this._render());
    this._div = div;
    return div;
  },

  update(model) {
    this._model = model;
    this._render();
  },

  _render() {
    if (!this._model || !this._div) return;
    const toggle = `<button type="button" class="legend-toggle" aria-expanded="${!this._collapsed}">${this._collapsed ? 'Show legend' : 'Hide legend'}</button>`;
    this._div.classList.toggle('collapsed', this._collapsed);
    this._div.innerHTML = toggle + legendHtml(this._model, this._map.getZoom());
  },
});
