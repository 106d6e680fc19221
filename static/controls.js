// The form on the left: built from the category and day lists, written
// from a state, and read back into the next state when the user changes it.
import * as S from './state.js';
import { featureCode, featureName, formatCount } from './format.js';

const $ = (id) => document.getElementById(id);

const METHOD_HELP = {
  clusters: 'Clusters outline places where incidents bunch together: each needs at least the "smallest cluster" number of incidents, each within the chosen distance of another. The number on a cluster is how many incidents it holds.',
  kde: 'The heat surface spreads each incident over the smoothing distance and adds them up. Darker cells are where incidents are densest. A larger smoothing distance gives broader, smoother areas.',
  gistar: 'Splits the county into grid cells and tests whether each cell and its neighbours have more (hot) or fewer (cold) incidents than chance would give. The colour says how confident the test is: 90 %, 95 % or 99 %.',
  none: 'No hotspot layer: only wards, town centres and incident points.',
};

const METHOD_KEYS = ['eps', 'min_points', 'bandwidth', 'cell', 'band'];

export function buildControls() {
  for (const c of S.CATEGORIES) {
    const label = document.createElement('label');
    label.innerHTML = `<input type="checkbox" name="categories" value="${c.id}"> <span class="swatch dot" style="background:${c.colour}" aria-hidden="true"></span> ${c.label}`;
    $('categories').append(label);
  }
  for (const d of S.DAYS) {
    const label = document.createElement('label');
    label.innerHTML = `<input type="checkbox" name="days" value="${d.id}"> ${d.label}`;
    $('days').append(label);
  }
  const hint = document.createElement('p');
  hint.className = 'help';
  hint.textContent = 'None ticked means every category / every day.';
  $('days').append(hint);
}

// Date pickers keep to the days the loaded incidents cover.
export function limitDates(firstDay, lastDay) {
  if (!firstDay || !lastDay) return;
  for (const id of ['from', 'to', 'cmp_from', 'cmp_to']) {
    $(id).min = firstDay;
    $(id).max = lastDay;
  }
}

export function writeControls(state) {
  const form = $('filters');
  form.preset.value = state.preset;
  for (const box of form.querySelectorAll('input[name="categories"]')) box.checked = state.categories.includes(box.value);
  for (const box of form.querySelectorAll('input[name="days"]')) box.checked = state.days.includes(box.value);
  // A window from a link that the list does not offer is added to it.
  if (state.window && ![...form.window.options].some((o) => o.value === state.window)) {
    form.window.add(new Option(state.window.replace('-', '–'), state.window));
  }
  form.window.value = state.window;
  form.from.value = state.from;
  form.to.value = state.to;
  form.scope.value = state.scope;
  // A group from a link that is not loaded (any more) shows as "all".
  form.group.value = [...form.group.options].some((o) => o.value === state.group) ? state.group : '';
  form.buffer.value = state.buffer;
  form.buffer.disabled = state.scope !== 'buffer';
  for (const radio of form.querySelectorAll('input[name="method"]')) radio.checked = radio.value === state.method;
  for (const key of METHOD_KEYS) form[key].value = state[key];
  for (const box of form.querySelectorAll('.params[data-method]')) box.hidden = box.dataset.method !== state.method;
  $('method-help').textContent = METHOD_HELP[state.method];
  form.points.checked = state.points;
  form.wards.checked = state.wards;
  form.groups.checked = state.groups;
  form.compare.checked = state.compare;
  form.cmp_from.value = state.cmp_from;
  form.cmp_to.value = state.cmp_to;
  $('compare-params').hidden = !state.compare;
  $('tiles').value = state.tiles;
}

function readControls(state) {
  const form = $('filters');
  const next = structuredClone(state);
  next.categories = [...form.querySelectorAll('input[name="categories"]:checked')].map((b) => b.value);
  next.days = [...form.querySelectorAll('input[name="days"]:checked')].map((b) => b.value);
  next.window = form.window.value;
  next.from = form.from.value;
  next.to = form.to.value;
  next.scope = form.scope.value;
  next.group = form.group.value;
  // A number box left empty or half-typed keeps the value it had.
  const number = (input, previous) => (input.value !== '' && Number.isFinite(Number(input.value)) ? Number(input.value) : previous);
  next.buffer = number(form.buffer, state.buffer);
  next.method = form.querySelector('input[name="method"]:checked').value;
  for (const key of METHOD_KEYS) next[key] = number(form[key], state[key]);
  next.points = form.points.checked;
  next.wards = form.wards.checked;
  next.groups = form.groups.checked;
  next.compare = form.compare.checked;
  next.cmp_from = form.cmp_from.value;
  next.cmp_to = form.cmp_to.value;
  return next;
}

// The state after a change event on the form, or null when the control is
// not part of the state (the "Go to" lists). Choosing a preset sets its
// filters; changing a filter makes the view custom unless it matches a
// preset again.
export function stateAfterChange(state, target) {
  if (target.hasAttribute('data-nostate')) return null;
  if (target.name === 'preset') {
    const next = structuredClone(state);
    next.preset = target.value;
    if (S.PRESETS[target.value]) Object.assign(next, structuredClone(S.PRESETS[target.value].filters));
    return next;
  }
  const next = readControls(state);
  if (next.preset !== 'custom' && !S.matchesPreset(next, next.preset)) next.preset = 'custom';
  else if (next.preset === 'custom') {
    const match = Object.keys(S.PRESETS).find((p) => S.matchesPreset(next, p));
    if (match) next.preset = match;
  }
  return next;
}

// ---- the "Go to" lists ---------------------------------------------------

function fill(select, rows) {
  while (select.options.length > 1) select.remove(1);
  for (const [label, value] of rows) select.add(new Option(label, value));
  return select;
}

export function fillPlaceLists(boundaries) {
  const byName = (features) => [...features].map((f) => [featureName(f), featureCode(f)]).sort((a, b) => a[0].localeCompare(b[0]));
  fill($('jump'), byName(boundaries.towns.features));
  fill($('jump-ward'), byName(boundaries.wards.features));
  // "Where": the area groups (filled before writeControls sets the choice).
  fill($('group'), byName(boundaries.groups.features)).disabled = boundaries.groups.features.length === 0;
}

// Clusters listed biggest first (as the server orders them), each named
// after its nearest town centre, so they can be reached from the keyboard.
export function fillClusterList(model) {
  const clusters = model.state.method === 'clusters' && model.hotspots ? model.hotspots.features : [];
  const rows = clusters.map((f) => {
    const near = f.properties.nearest_town_centre;
    const km = near ? Number(near.distance_m) / 1000 : Infinity;
    const where = !near ? 'Cluster' : km < 3 ? near.name : `${km.toFixed(0)} km from ${near.name}`;
    return [`${where}: ${formatCount(f.properties.count)} incidents`, featureCode(f)];
  });
  fill($('jump-cluster'), rows).disabled = rows.length === 0;
}
