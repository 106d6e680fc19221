// The page's state and its URL form: everything a coordinator chose is in the
// query string, so a copied link opens the same view.

export const CATEGORIES = [
  { id: 'violence', label: 'Violence and sexual offences', short: 'violence', colour: '#b2182b' },
  { id: 'criminal_damage', label: 'Criminal damage and arson', short: 'criminal damage', colour: '#5e3c99' },
  { id: 'public_order', label: 'Public order', short: 'public order', colour: '#8c510a' },
  { id: 'asb', label: 'Anti-social behaviour', short: 'anti-social behaviour', colour: '#01665e' },
  { id: 'other', label: 'Other crime', short: 'other crime', colour: '#4d4d4d' },
];

// The one weekday table of the page, Monday first as the API numbers days
// (hour_of_week rows, busiest_weekday, the days filter).
export const DAYS = [
  { id: 'mon', label: 'Mon', plural: 'Mondays' },
  { id: 'tue', label: 'Tue', plural: 'Tuesdays' },
  { id: 'wed', label: 'Wed', plural: 'Wednesdays' },
  { id: 'thu', label: 'Thu', plural: 'Thursdays' },
  { id: 'fri', label: 'Fri', plural: 'Fridays' },
  { id: 'sat', label: 'Sat', plural: 'Saturdays' },
  { id: 'sun', label: 'Sun', plural: 'Sundays' },
];

export const METHODS = ['clusters', 'kde', 'gistar', 'none'];
export const SCOPES = ['everywhere', 'town-centres', 'buffer'];

// The filters each preset stands for (the night-time economy one matches the
// server's `preset=nte`: violence and criminal damage, Friday and Saturday
// nights 20:00-04:00, town centres plus 500 m).
export const PRESETS = {
  nte: {
    label: 'Weekend nights in town centres',
    filters: {
      categories: ['violence', 'criminal_damage'],
      days: ['fri', 'sat'],
      window: '20:00-04:00',
      scope: 'buffer',
      buffer: 500,
      from: '',
      to: '',
    },
  },
  all: {
    label: 'All incidents, all times, everywhere',
    filters: { categories: [], days: [], window: '', scope: 'everywhere', buffer: 500, from: '', to: '' },
  },
};

// The method parameters the page offers, and where the server keeps each
// one's default in its /api/parameters answer ("hotspots/gistar" owns the
// page's grid cell: the heat surface keeps the server's own cell size).
const METHOD_PARAMETERS = {
  eps: ['hotspots/dbscan', 'eps'],
  min_points: ['hotspots/dbscan', 'min_points'],
  bandwidth: ['hotspots/kde', 'bandwidth'],
  cell: ['hotspots/gistar', 'cell'],
  band: ['hotspots/gistar', 'band'],
};

// The page's method defaults from the server's /api/parameters answer, so
// there is one source of truth and no copy here to drift from it.
export function methodDefaults(parametersAnswer) {
  const out = {};
  for (const [key, [endpoint, name]] of Object.entries(METHOD_PARAMETERS)) {
    const value = Number(parametersAnswer?.defaults?.[endpoint]?.[name]);
    if (!Number.isFinite(value)) throw new Error(`the server gives no default for ${endpoint} ${name}`);
    out[key] = value;
  }
  return out;
}

// `defaults` is what methodDefaults() returns.
export function defaultState(defaults) {
  if (!defaults) throw new Error('defaultState needs the server\'s method defaults');
  return {
    preset: 'nte',
    ...structuredClone(PRESETS.nte.filters),
    method: 'clusters',
    ...Object.fromEntries(Object.keys(METHOD_PARAMETERS).map((key) => [key, defaults[key]])),
    points: true,
    wards: true,
    groups: false,   // the group outlines layer
    group: '',       // "where": one area group's wards only (group=ID)
    compare: false,
    cmp_from: '',
    cmp_to: '',
    sel: '',
    view: '',
    tiles: '',
  };
}

const LIST_KEYS = ['categories', 'days'];
const NUMBER_KEYS = ['buffer', ...Object.keys(METHOD_PARAMETERS)];
const BOOL_KEYS = ['points', 'wards', 'groups', 'compare'];
// `group` narrows where, like the scope, but is no part of a preset: any
// preset can be looked at in one group.
const TEXT_KEYS = ['from', 'to', 'window', 'scope', 'group', 'method', 'cmp_from', 'cmp_to', 'sel', 'view', 'tiles'];
const FILTER_KEYS = ['categories', 'days', 'window', 'scope', 'buffer', 'from', 'to'];

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const WINDOW_RE = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;

// Reads a query string; values that make no sense are ignored (and reported
// in `problems`) rather than breaking the page.
export function stateFromQuery(search, defaults) {
  const state = defaultState(defaults);
  const problems = [];
  const query = new URLSearchParams(search);
  const preset = query.get('preset');
  // Filters given without a preset mean a custom view; a custom view starts
  // from "all incidents" and the query narrows it.
  const custom = preset === 'custom' || (!preset && FILTER_KEYS.some((k) => query.has(k)));
  if (preset && !PRESETS[preset] && preset !== 'custom') problems.push(`unknown preset "${preset}"`);
  if (custom) {
    state.preset = 'custom';
    Object.assign(state, structuredClone(PRESETS.all.filters));
  } else if (PRESETS[preset]) {
    state.preset = preset;
    Object.assign(state, structuredClone(PRESETS[preset].filters));
  }
  for (const key of LIST_KEYS) {
    if (!query.has(key)) continue;
    const known = key === 'categories' ? CATEGORIES : DAYS;
    const items = query.get(key).split(',').filter(Boolean);
    const valid = items.filter((item) => known.some((k) => k.id === item));
    if (valid.length !== items.length) problems.push(`ignored unknown ${key}`);
    state[key] = valid;
  }
  for (const key of NUMBER_KEYS) {
    if (!query.has(key)) continue;
    const value = Number(query.get(key));
    if (Number.isFinite(value) && value >= 0) state[key] = value;
    else problems.push(`ignored ${key}="${query.get(key)}"`);
  }
  for (const key of BOOL_KEYS) {
    if (query.has(key)) state[key] = query.get(key) === '1';
  }
  for (const key of TEXT_KEYS) {
    if (query.has(key)) state[key] = query.get(key);
  }
  if (state.from && !DATE_RE.test(state.from)) { problems.push('ignored from date'); state.from = ''; }
  if (state.to && !DATE_RE.test(state.to)) { problems.push('ignored to date'); state.to = ''; }
  if (state.window && !WINDOW_RE.test(state.window)) { problems.push('ignored time window'); state.window = ''; }
  if (!METHODS.includes(state.method)) { problems.push('ignored method'); state.method = 'clusters'; }
  if (!SCOPES.includes(state.scope)) { problems.push('ignored scope'); state.scope = 'everywhere'; }
  return { state, problems };
}

// Writes only what differs from the defaults, so links stay short. A custom
// view's filters are written against "all incidents", which is what
// stateFromQuery starts a custom view from.
export function queryFromState(state, defaults) {
  const fresh = defaultState(defaults);
  const query = new URLSearchParams();
  if (state.preset !== fresh.preset) query.set('preset', state.preset);
  const filterBase = PRESETS[state.preset] ? PRESETS[state.preset].filters : PRESETS.all.filters;
  for (const key of [...LIST_KEYS, ...NUMBER_KEYS, ...BOOL_KEYS, ...TEXT_KEYS]) {
    const value = state[key];
    const ref = FILTER_KEYS.includes(key) ? filterBase[key] : fresh[key];
    const same = Array.isArray(value) ? value.join(',') === (ref || []).join(',') : value === ref;
    if (same) continue;
    if (BOOL_KEYS.includes(key)) query.set(key, value ? '1' : '0');
    else if (Array.isArray(value)) query.set(key, value.join(','));
    else query.set(key, String(value));
  }
  return query.toString();
}

// Does the state still match the preset it names? A control change that
// breaks the match turns the view into a custom one.
export function matchesPreset(state, preset) {
  const p = PRESETS[preset];
  if (!p) return false;
  return FILTER_KEYS.every((key) => {
    const a = state[key];
    const b = p.filters[key];
    return Array.isArray(a) ? a.join(',') === b.join(',') : a === b;
  });
}

// The values the selection endpoints take, from the state.
export function selectionValues(state) {
  const everyCategory = state.categories.length === 0 || state.categories.length === CATEGORIES.length;
  const everyDay = state.days.length === 0 || state.days.length === DAYS.length;
  return {
    categories: everyCategory ? '' : state.categories,
    from: state.from,
    to: state.to,
    days: everyDay ? '' : state.days,
    window: state.window,
    scope: state.scope === 'everywhere' ? '' : state.scope,
    buffer: state.scope === 'buffer' ? state.buffer : '',
    group: state.group,
  };
}

// The same, but a view that is exactly a server preset is sent as the preset
// so responses say which preset they answer.
export function requestValues(state) {
  if (state.preset !== 'custom' && state.preset !== 'all' && matchesPreset(state, state.preset)) {
    return state.group ? { preset: state.preset, group: state.group } : { preset: state.preset };
  }
  return selectionValues(state);
}

export function categoryLabel(id) {
  const c = CATEGORIES.find((k) => k.id === id);
  return c ? c.label : id || 'Unknown category';
}

// One line in plain words describing the selection.
// `groupNames` (id -> name) names a chosen area group.
export function describeSelection(state, groupNames = {}) {
  const cats = state.categories.length && state.categories.length < CATEGORIES.length
    ? state.categories.map((c) => CATEGORIES.find((k) => k.id === c).short).join(', ').replace(/, ([^,]*)$/, ' and $1')
    : 'all incidents';
  let days = '';
  if (state.days.length && state.days.length < DAYS.length) {
    days = ` on ${state.days.map((d) => DAYS.find((k) => k.id === d).label).join(', ').replace(/, ([^,]*)$/, ' and $1')}`;
    if (state.window) days += ' nights';
  }
  const time = state.window ? ` ${state.window.replace('-', '–')}` : '';
  let place = '';
  if (state.scope === 'town-centres') place = ' in town centres';
  else if (state.scope === 'buffer') place = ` within ${state.buffer} m of a town centre`;
  if (state.group) place += ` in ${groupNames[state.group] || state.group}`;
  let dates = '';
  if (state.from && state.to) dates = `, ${state.from} to ${state.to}`;
  else if (state.from) dates = `, from ${state.from}`;
  else if (state.to) dates = `, up to ${state.to}`;
  let compared = '';
  if (state.compare && state.cmp_from && state.cmp_to) compared = `, compared with ${state.cmp_from} to ${state.cmp_to}`;
  const text = `${cats}${days}${time}${place}${dates}${compared}`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}
