// Talking to hotspotd: one place that knows endpoint names, which query
// parameters each endpoint accepts (the server refuses unknown ones), and how
// an error body reads, so the rest of the page works with plain objects.

export class ApiError extends Error {
  constructor(message, { status = 0, code = '', url = '' } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.url = url;
  }
}

// Parameters shared by every endpoint that analyses a selection of incidents.
const SELECTION = ['preset', 'categories', 'from', 'to', 'days', 'window', 'scope', 'buffer', 'ward', 'group', 'bbox'];

// What each endpoint takes. A parameter not listed is dropped before the
// request, so a page control the server does not know cannot break a layer.
export const ENDPOINTS = {
  incidents: { path: '/api/incidents', params: [...SELECTION, 'limit', 'offset'] },
  dbscan: { path: '/api/hotspots/dbscan', params: [...SELECTION, 'eps', 'min_points', 'min_locations'] },
  kde: { path: '/api/hotspots/kde', params: [...SELECTION, 'bandwidth', 'cell'] },
  gistar: { path: '/api/hotspots/gistar', params: [...SELECTION, 'cell', 'band', 'fdr', 'all'] },
  wardStats: { path: '/api/stats/wards', params: SELECTION },
  townCentreStats: { path: '/api/stats/town-centres', params: SELECTION },
  groupStats: { path: '/api/stats/groups', params: SELECTION },
  // One place's profile: a ward through the `ward` filter, a town centre or
  // a cluster by its id (a cluster needs the DBSCAN values it came from).
  profile: { path: '/api/profile', params: [...SELECTION, 'town_centre', 'cluster', 'eps', 'min_points'] },
  // Every endpoint's defaults, the page's single source for them.
  parameters: { path: '/api/parameters', params: [] },
  layers: { path: '/api/layers', params: [] },
  loadReport: { path: '/api/load-report', params: [] },
  wards: { path: '/api/layers/wards', params: [] },
  townCentres: { path: '/api/layers/town-centres', params: [] },
  groups: { path: '/api/layers/groups', params: [] },
  // Two periods replace the selection's own dates.
  compare: {
    path: '/api/compare',
    params: [...SELECTION.filter((p) => p !== 'from' && p !== 'to'), 'a_from', 'a_to', 'b_from', 'b_to', 'by'],
  },
  // A hotspot map fitted on one period, scored on the next.
  evaluate: {
    path: '/api/evaluate',
    params: [...SELECTION.filter((p) => p !== 'from' && p !== 'to'), 'train_from', 'train_to', 'test_from', 'test_to',
      'method', 'coverage', 'cell', 'bandwidth', 'band', 'eps', 'min_points'],
  },
};

// Builds the URL of an endpoint from a flat object of values; empty values
// and parameters the endpoint does not take are left out.
export function endpointUrl(name, values = {}) {
  const endpoint = ENDPOINTS[name];
  if (!endpoint) throw new Error(`unknown endpoint ${name}`);
  const query = new URLSearchParams();
  for (const key of endpoint.params) {
    const value = values[key];
    if (value === undefined || value === null || value === '') continue;
    query.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = query.toString();
  return text ? `${endpoint.path}?${text}` : endpoint.path;
}

// The user's token (a viewer's for a private map, an editor's for changing
// sources): in sessionStorage only, never in a URL or localStorage, sent
// only in the Authorization header.
const TOKEN_KEY = 'hotspot.token';

export function readToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  } catch {
    return '';
  }
}

export function keepToken(token) {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch { /* storage off: the token lives in its field only */ }
}

function withToken(headers) {
  const token = readToken();
  return token ? { ...headers, Authorization: `Bearer ${token}` } : headers;
}

// Fetches JSON; any failure becomes an ApiError whose message a coordinator
// can read ("The server refused the request: ..."). A private map's 401 is
// an ApiError with status 401, which the page answers by asking for a token.
export async function getJson(url, { signal } = {}) {
  let response;
  try {
    response = await fetch(url, { signal, headers: withToken({ Accept: 'application/json' }) });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError('The map server could not be reached. Check that hotspotd is running, then reload the page.', { url });
  }
  let body = null;
  const text = await response.text();
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  if (!response.ok) {
    const detail = body && body.error && body.error.message ? body.error.message : response.statusText;
    const code = body && body.error && body.error.code ? body.error.code : '';
    let lead = 'The server could not answer';
    if (response.status === 404) lead = 'The server found nothing there';
    else if (response.status === 401) lead = 'This map needs a token';
    else if (response.status >= 400 && response.status < 500) lead = 'The server refused the request';
    else if (response.status === 503) lead = 'The server is still loading data';
    throw new ApiError(`${lead}: ${detail}`, { status: response.status, code, url });
  }
  if (body === null) {
    throw new ApiError('The server sent an answer the page could not read.', { status: response.status, url });
  }
  return body;
}

// A download link of a private map: a plain link cannot carry the token,
// so the file is fetched with it and handed to the browser as a blob.
export async function downloadWithToken(url, file) {
  const response = await fetch(url, { headers: withToken({}) });
  if (!response.ok) throw new ApiError(`The download was refused (HTTP ${response.status})`, { status: response.status, url });
  const link = Object.assign(document.createElement('a'), { href: URL.createObjectURL(await response.blob()), download: file });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60000);
}

// The data-source store (/api/sources): a request whose HTTP errors are
// answers, not exceptions, since the panel shows the server's own message
// for each (401, 403, 422 …). `token` goes in the Authorization header only.
// Resolves with { ok, status, code, message, body }; a network failure
// rejects with an ApiError.
export async function sourcesRequest(path, { method = 'GET', token = readToken(), body = undefined } = {}) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, { method, headers, body, cache: 'no-store' });
  } catch {
    throw new ApiError('The map server could not be reached. Check that hotspotd is running, then try again.', { url: path });
  }
  let parsed = null;
  try {
    parsed = JSON.parse(await response.text());
  } catch {
    parsed = null;
  }
  const error = parsed && parsed.error ? parsed.error : null;
  return {
    ok: response.ok,
    status: response.status,
    code: error && error.code ? error.code : '',
    message: error && error.message ? error.message : (response.ok ? '' : response.statusText || `HTTP ${response.status}`),
    body: parsed,
  };
}
