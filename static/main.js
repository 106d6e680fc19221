// The map page's start and wiring, and nothing else: the state comes from
// the URL (with the server's own defaults), loader.js turns the API's
// answers into a view model, and the map, legend, details panel and texts
// each draw that model. Every choice goes back into the URL, so a copied
// link reproduces the view. window.hotspot exposes state and counts for the
// browser tests.
import { ApiError, downloadWithToken, endpointUrl, getJson, keepToken, readToken } from './api.js';
import * as S from './state.js';
import { describeError, loadStart, loadViewModel, reloadProvenance } from './loader.js';
import {
  buildControls, fillClusterList, fillPlaceLists, limitDates, stateAfterChange, writeControls,
} from './controls.js';
import { MapView } from './map-view.js';
import { LegendControl } from './legend.js';
import { DetailsControl, findPlace } from './details.js';
import { downloadsHtml, showProvenance, summaryLine } from './summary.js';
import { featureCode, setSuppressedBelow } from './format.js';
import { SourcesPanel } from './sources.js';
import { selectionStory, showSelectionStory } from './selection-story.js';
import { applyAreaName, showDataWarnings, showLoadReport } from './area-notices.js';
import { AnalysesPanel } from './analyses.js';

const $ = (id) => document.getElementById(id);

const hotspot = { status: 'loading', generation: 0, state: null, counts: {}, errors: [], problems: [], panel: null };
window.hotspot = hotspot;

function setStatus(status) {
  hotspot.status = status;
  document.documentElement.dataset.status = status;
  $('loading').hidden = status !== 'loading';
}

function showErrors(list) {
  hotspot.errors = list;
  const box = $('error');
  box.hidden = list.length === 0;
  box.replaceChildren();
  if (!list.length) return;
  const lead = document.createElement('strong');
  lead.textContent = 'Part of the map could not be shown.';
  const items = document.createElement('ul');
  for (const text of list) items.append(Object.assign(document.createElement('li'), { textContent: text }));
  box.append(lead, items);
}

// A private map (hotspotd --private) answers 401 until the page sends a
// viewer's or an editor's token: ask for one, over the map, and resolve
// once it is entered (the caller tries again; a refused token asks again,
// with the server's reason).
function askForToken(reason) {
  const gate = $('token-gate');
  gate.hidden = false;
  $('gate-message').textContent = readToken() ? reason : '';
  $('gate-token').focus();
  return new Promise((resolve) => {
    gate.addEventListener('submit', (event) => {
      event.preventDefault();
      keepToken($('gate-token').value.trim());
      gate.hidden = true;
      resolve();
    }, { once: true });
  });
}

// The server's defaults and boundaries (the page has no copy of either); a
// server that is still loading its data answers 503, so wait for it.
async function startData() {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await loadStart();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        showErrors([]);
        $('summary').textContent = 'This map is private: it needs a token.';
        await askForToken(err.message);
        attempt = -1;
        continue;
      }
      showErrors([describeError('Starting the map', err)]);
      if (!(err instanceof ApiError && err.status === 503 && attempt < 30)) throw err;
      $('summary').textContent = 'Waiting for the server to finish loading its data…';
      await new Promise((resolve) => { setTimeout(resolve, 2000); });
    }
  }
}

async function start() {
  buildControls();
  if (!window.L || !window.L.markerClusterGroup) {
    showErrors(['The map library did not load. Run scripts/vendor-static on the server, then reload.']);
    setStatus('error');
    return;
  }
  let boundaries;
  let defaults;
  try {
    const startup = await startData();
    boundaries = startup.boundaries;
    if (boundaries.disclosure.public) setSuppressedBelow(boundaries.disclosure.minCount);
    defaults = S.methodDefaults(startup.parameters);
  } catch (err) {
    if (!(err instanceof ApiError)) showErrors([describeError('Starting the map', err)]);
    $('summary').textContent = 'The map could not be loaded.';
    setStatus('error');
    return;
  }
  showErrors([]);
  const parsed = S.stateFromQuery(location.search, defaults);
  let state = parsed.state;
  let model = null;
  let loading = null;   // the refresh in flight, aborted by a newer one
  let generation = 0;
  if (parsed.problems.length) hotspot.problems.push(`The link had values the page could not use and ignored: ${parsed.problems.join('; ')}.`);

  const publish = () => { hotspot.state = structuredClone(state); };
  const writeUrl = () => {
    const query = S.queryFromState(state, defaults);
    const url = `${location.pathname}${query ? `?${query}` : ''}${location.hash}`;
    if (url !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(null, '', url);
    publish();
  };

  const details = new DetailsControl({
    onSelect: (sel) => { state.sel = sel; writeUrl(); },
    onShown: (panel) => { hotspot.panel = panel; },
  });
  const view = new MapView('map', boundaries, (kind, feature) => details.select(`${kind}:${featureCode(feature)}`));
  const legend = new LegendControl().addTo(view.map);
  details.addTo(view.map);
  Object.assign(hotspot, {
    map: view.map, layers: view.layers, counts: view.counts, defaults, public: boundaries.disclosure.public,
  });

  showProvenance(boundaries);
  applyAreaName(boundaries.areaName);
  showDataWarnings(boundaries.warnings);
  const readLoadReport = () => getJson(endpointUrl('loadReport')).then(showLoadReport, (err) => {
    hotspot.problems.push(describeError('The load report', err));
  });
  readLoadReport();
  limitDates(boundaries.firstDay, boundaries.lastDay);
  fillPlaceLists(boundaries);
  writeControls(state);
  const tileProblem = view.setBasemap(state.tiles);
  if (tileProblem) hotspot.problems.push(tileProblem);

  const draw = (next) => {
    model = next;
    view.update(model);
    legend.update(model);
    details.update(model);
    fillClusterList(model);
    $('summary').textContent = summaryLine(model);
    showSelectionStory($('selection-story'), selectionStory(model.selectionCounts, model.state, boundaries),
      (changes) => commit({ ...state, ...structuredClone(changes), preset: 'custom' }));
    $('downloads').innerHTML = downloadsHtml(model);
    showErrors([...hotspot.problems, ...model.errors]);
  };

  const refresh = async () => {
    if (loading) loading.abort();
    loading = new AbortController();
    const gen = ++generation;
    setStatus('loading');
    const next = await loadViewModel(state, boundaries, loading.signal);
    if (gen !== generation) return;
    draw(next);
    hotspot.generation = gen;
    setStatus(next.incidents ? 'ready' : 'error');
  };

  // A new state: the controls, the URL, then the data (or, for a change
  // that needs no new data, the same data drawn under the new state).
  const commit = (next, { reload = true } = {}) => {
    state = next;
    hotspot.problems = [];  // notes about the opening link are stale now
    writeControls(state);
    writeUrl();
    if (reload) refresh();
    else if (model) draw({ ...model, state: structuredClone(state) });
  };

  // A source added, replaced or withdrawn: the server serves the new data
  // at once, so read the dates and notices again and redraw every layer as
  // a changed choice would.
  new SourcesPanel({
    onChanged: async () => {
      try {
        await reloadProvenance(boundaries);
        showProvenance(boundaries);
        showDataWarnings(boundaries.warnings);
        readLoadReport();
        limitDates(boundaries.firstDay, boundaries.lastDay);
      } catch (err) {
        hotspot.problems = [describeError('Reading the sources again', err)];
      }
      hotspot.sourceChanges = (hotspot.sourceChanges || 0) + 1;
      await refresh();
    },
  });

  // What "Save this analysis" saves: the hotspot layer on the map, or the
  // ward counts when no hotspot method is chosen.
  new AnalysesPanel({
    layerUrl: () => (model ? model.hotspotsUrl || endpointUrl('wardStats', model.request) : ''),
    map: view.map,
  });

  const jumpTo = (kind, code) => {
    const place = model && findPlace(model, `${kind}:${code}`);
    if (!place) return;
    view.fitFeature(place.feature);
    details.select(`${kind}:${code}`, { focus: true });
  };

  $('filters').addEventListener('change', (event) => {
    const next = stateAfterChange(state, event.target);
    // Showing points or group outlines needs no new data.
    if (next) commit(next, { reload: event.target.name !== 'points' && event.target.name !== 'groups' });
  });
  $('filters').addEventListener('submit', (e) => e.preventDefault());
  $('jump').addEventListener('change', (e) => { if (e.target.value) jumpTo('tc', e.target.value); });
  $('jump-ward').addEventListener('change', (e) => { if (e.target.value) jumpTo('ward', e.target.value); });
  $('jump-cluster').addEventListener('change', (e) => { if (e.target.value) jumpTo('cluster', e.target.value); });
  $('whole-county').addEventListener('click', () => view.fitCounty());
  // A plain link cannot carry a private map's token: with a token, a link
  // to the API (a download, a saved analysis's GeoJSON) is fetched with it.
  const viaToken = async (event) => {
    const link = event.target.closest('a[href]');
    if (!link || !readToken() || new URL(link.href).origin !== location.origin) return;
    event.preventDefault();
    const name = link.getAttribute('download') || new URL(link.href).pathname.split('/').filter(Boolean).join('-');
    try {
      await downloadWithToken(link.href, name);
    } catch (err) {
      showErrors([describeError('Downloading', err)]);
    }
  };
  $('downloads').addEventListener('click', viaToken);
  $('analyses-list').addEventListener('click', (event) => {
    if (!event.target.closest('button')) viaToken(event);
  });
  $('print').addEventListener('click', () => window.print());
  // A printed map says when it was made and how to get back to it.
  window.addEventListener('beforeprint', () => {
    const when = new Date().toLocaleString('en-GB', { dateStyle: 'long', timeStyle: 'short' });
    $('print-note').textContent = `Printed ${when}. This view online: ${location.href}`;
  });
  $('copy-link').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      $('summary').textContent = 'Link copied: paste it into an email or a meeting note to share this view.';
    } catch {
      window.prompt('Copy this link to share the view:', location.href);
    }
  });
  $('tiles-apply').addEventListener('click', () => {
    state.tiles = $('tiles').value.trim();
    hotspot.problems = [view.setBasemap(state.tiles)].filter(Boolean);
    writeUrl();
    showErrors([...hotspot.problems, ...(model ? model.errors : [])]);
  });

  view.restoreView(state.view);
  view.map.on('moveend', () => { state.view = view.viewText(); writeUrl(); });
  publish();
  details.select(state.sel);   // a panel named in the link opens with the first view
  await refresh();
}

start();
