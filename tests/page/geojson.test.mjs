// Validates every GeoJSON endpoint of a live hotspotd: RFC 7946 structure
// (@placemarkio/check-geojson), an id on every feature, right-hand winding
// (exterior rings counter-clockwise, holes clockwise), closed rings, WGS84
// ranges and at most 6 decimals. Starts build/hotspotd on a free port with
// the bundled data; exits non-zero on any failure.
import { check } from '@placemarkio/check-geojson';
import { startServer } from './harness.mjs';

const endpoints = [
  '/api/layers/wards',
  '/api/layers/town-centres',
  '/api/incidents?limit=10000',
  '/api/incidents?preset=nte&limit=500',
  '/api/hotspots/dbscan',
  '/api/hotspots/dbscan?preset=nte&eps=150&min_points=5',
  '/api/hotspots/kde',
  '/api/hotspots/gistar',
  '/api/hotspots/gistar?all=true&cell=500&fdr=true',
  '/api/stats/wards',
  '/api/stats/town-centres?preset=nte',
  '/api/compare?a_from=2024-01-01&a_to=2024-06-30&b_from=2024-07-01&b_to=2024-12-31',
  '/api/compare?by=town-centres&a_from=2024-01-01&a_to=2024-03-31&b_from=2024-04-01&b_to=2024-06-30',
];

// Shoelace area of a lon/lat ring: positive when counter-clockwise.
function signedArea(ring) {
  let a = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    a += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  }
  return a / 2;
}

function decimals(n) {
  const s = String(n);
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

function checkPosition(p, where, problems) {
  const [lon, lat] = p;
  if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) {
    problems.push(`${where}: position out of range ${JSON.stringify(p)}`);
  }
  if (decimals(lon) > 6 || decimals(lat) > 6) {
    problems.push(`${where}: more than 6 decimals ${JSON.stringify(p)}`);
  }
}

function checkPolygon(rings, where, problems) {
  rings.forEach((ring, r) => {
    const first = ring[0], last = ring[ring.length - 1];
    if (ring.length < 4 || first[0] !== last[0] || first[1] !== last[1]) {
      problems.push(`${where}: ring ${r} is not closed or has fewer than 4 positions`);
    }
    const area = signedArea(ring);
    if (r === 0 && !(area > 0)) problems.push(`${where}: exterior ring is not counter-clockwise`);
    if (r > 0 && !(area < 0)) problems.push(`${where}: hole ${r} is not clockwise`);
    ring.forEach((p) => checkPosition(p, where, problems));
  });
}

function checkGeometry(g, where, problems) {
  if (g === null) return;
  switch (g.type) {
    case 'Point': checkPosition(g.coordinates, where, problems); break;
    case 'MultiPoint':
    case 'LineString': g.coordinates.forEach((p) => checkPosition(p, where, problems)); break;
    case 'Polygon': checkPolygon(g.coordinates, where, problems); break;
    case 'MultiPolygon': g.coordinates.forEach((rings) => checkPolygon(rings, where, problems)); break;
    default: problems.push(`${where}: unexpected geometry type ${g.type}`);
  }
}

async function validate(base, endpoint) {
  const problems = [];
  const response = await fetch(base + endpoint);
  const text = await response.text();
  if (response.status !== 200) return { problems: [`HTTP ${response.status}: ${text.slice(0, 200)}`], features: 0 };
  const type = response.headers.get('content-type');
  if (type !== 'application/geo+json') problems.push(`content-type ${type}`);
  let collection;
  try {
    collection = check(text);
  } catch (e) {
    const issues = e.issues ? e.issues.slice(0, 5).map((i) => i.message).join('; ') : e.message;
    return { problems: [`check-geojson: ${issues}`], features: 0 };
  }
  if (collection.type !== 'FeatureCollection') problems.push('not a FeatureCollection');
  const ids = new Set();
  collection.features.forEach((f, i) => {
    const where = `feature ${i}`;
    if (typeof f.id !== 'string' && typeof f.id !== 'number') problems.push(`${where}: no id`);
    else if (ids.has(f.id)) problems.push(`${where}: duplicate id ${f.id}`);
    ids.add(f.id);
    checkGeometry(f.geometry, `${where} (${f.id})`, problems);
  });
  if (typeof collection.metadata !== 'object') problems.push('no metadata member');
  return { problems, features: collection.features.length };
}

const server = await startServer(['--threads', '2']);
const base = server.url.replace(/\/$/, '');
let failures = 0;
let features = 0;
try {
  for (const endpoint of endpoints) {
    const { problems, features: n } = await validate(base, endpoint);
    features += n;
    if (problems.length) {
      failures++;
      console.log(`FAIL ${endpoint}`);
      problems.slice(0, 10).forEach((p) => console.log(`  ${p}`));
      if (problems.length > 10) console.log(`  ... ${problems.length - 10} more`);
    } else {
      console.log(`ok   ${endpoint} (${n} features)`);
    }
  }
} finally {
  await server.stop();
}
console.log(`geojson: ${endpoints.length - failures}/${endpoints.length} endpoints valid, ${features} features checked`);
process.exit(failures ? 1 : 0);
