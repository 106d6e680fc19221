// A stand-in for the analysis endpoints while working on the page: serves
// static/, forwards every endpoint the real hotspotd at UPSTREAM answers, and
// answers the ones it does not (404) with rough numbers in the documented
// shapes (docs/api.md), computed from the upstream's own /api/incidents.
// The numbers are NOT the real methods; the tests never use this.
//   node tests/page/mock-server.mjs PORT http://127.0.0.1:UPSTREAM_PORT/
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const port = Number(process.argv[2] || 0);
const upstream = process.argv[3];
if (!upstream) {
  console.error('usage: mock-server.mjs PORT UPSTREAM_URL');
  process.exit(2);
}

const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' };
const SELECTION = ['category', 'categories', 'from', 'to', 'days', 'window', 'ward', 'scope', 'buffer', 'bbox', 'preset'];

async function upstreamJson(p) {
  const r = await fetch(new URL(p, upstream));
  return { status: r.status, body: await r.text(), type: r.headers.get('content-type') };
}

async function selected(query) {
  const q = new URLSearchParams();
  for (const k of SELECTION) if (query.has(k)) q.set(k, query.get(k));
  const out = [];
  for (let offset = 0; offset !== null;) {
    q.set('limit', '10000');
    q.set('offset', String(offset));
    const r = await upstreamJson(`/api/incidents?${q}`);
    if (r.status !== 200) throw Object.assign(new Error(r.body), { status: r.status });
    const body = JSON.parse(r.body);
    out.push(...body.features.filter((f) => f.geometry));
    offset = body.metadata.paging.next_offset;
  }
  return out;
}

let boundaries = null;
async function layers() {
  if (!boundaries) {
    boundaries = {
      wards: JSON.parse((await upstreamJson('/api/layers/wards')).body),
      towns: JSON.parse((await upstreamJson('/api/layers/town-centres')).body),
    };
  }
  return boundaries;
}

const byCat = (list) => list.reduce((a, f) => { a[f.properties.category] = (a[f.properties.category] || 0) + 1; return a; }, {});

async function areaStats(query, key, layer) {
  const list = await selected(query);
  const features = layer.features.map((f) => {
    const inside = list.filter((i) => i.properties[key] === f.id);
    return { type: 'Feature', id: f.id, geometry: f.geometry, properties: { name: f.properties.name, total: inside.length, by_category: byCat(inside) } };
  });
  return { type: 'FeatureCollection', features, metadata: { mock: true } };
}

// Degrees per ~100 m at 54.7° N.
const DX = 0.00155;
const DY = 0.0009;
function grid(list, cellM) {
  const sx = (DX * cellM) / 100;
  const sy = (DY * cellM) / 100;
  const cells = new Map();
  for (const f of list) {
    const [lon, lat] = f.geometry.coordinates;
    const ix = Math.floor(lon / sx);
    const iy = Math.floor(lat / sy);
    const k = `${ix},${iy}`;
    cells.set(k, (cells.get(k) || 0) + 1);
  }
  const square = (ix, iy) => ({ type: 'Polygon', coordinates: [[[ix * sx, iy * sy], [(ix + 1) * sx, iy * sy], [(ix + 1) * sx, (iy + 1) * sy], [ix * sx, (iy + 1) * sy], [ix * sx, iy * sy]]] });
  return { cells, square };
}

// A cluster id from its members' ids, like the server's: the same members
// give the same id whatever the order (FNV-1a, 32 bits here).
function memberId(members) {
  let h = 0x811c9dc5;
  for (const id of members.map((f) => String(f.id)).sort()) {
    for (const c of `${id}\u001e`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

function hull(points) {
  const p = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const cross = (o, a, b) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower = [];
  for (const q of p) { while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], q) <= 0) lower.pop(); lower.push(q); }
  const upper = [];
  for (const q of p.reverse()) { while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], q) <= 0) upper.pop(); upper.push(q); }
  const ring = lower.slice(0, -1).concat(upper.slice(0, -1));
  ring.push(ring[0]);
  return ring;
}

const handlers = {
  '/api/stats/wards': async (q) => areaStats(q, 'ward', (await layers()).wards),
  '/api/stats/town-centres': async (q) => areaStats(q, 'town_centre', (await layers()).towns),
  // Clusters: dense 200 m cells grouped with their dense neighbours.
  '/api/hotspots/dbscan': async (q) => {
    const list = await selected(q);
    const { cells } = grid(list, 200);
    const min = Number(q.get('min_points') || 10);
    const dense = new Set([...cells].filter(([, n]) => n >= min).map(([k]) => k));
    const label = new Map();
    let next = 0;
    for (const k of dense) {
      if (label.has(k)) continue;
      const stack = [k];
      label.set(k, next);
      while (stack.length) {
        const [x, y] = stack.pop().split(',').map(Number);
        for (const d of [[1, 0], [-1, 0], [0, 1], [0, -1]]) {
          const n = `${x + d[0]},${y + d[1]}`;
          if (dense.has(n) && !label.has(n)) { label.set(n, next); stack.push(n); }
        }
      }
      next += 1;
    }
    const members = Array.from({ length: next }, () => []);
    const sx = (DX * 200) / 100;
    const sy = (DY * 200) / 100;
    for (const f of list) {
      const [lon, lat] = f.geometry.coordinates;
      const k = `${Math.floor(lon / sx)},${Math.floor(lat / sy)}`;
      if (label.has(k)) members[label.get(k)].push(f);
    }
    return {
      type: 'FeatureCollection',
      features: members.filter((m) => m.length >= 3).map((m, i) => ({
        type: 'Feature', id: memberId(m), geometry: { type: 'Polygon', coordinates: [hull(m.map((f) => f.geometry.coordinates))] },
        properties: { id: memberId(m), count: m.length, by_category: byCat(m) },
      })),
      metadata: { mock: true },
    };
  },
  '/api/hotspots/kde': async (q) => {
    const list = await selected(q);
    const { cells, square } = grid(list, Number(q.get('cell') || 100));
    const sorted = [...cells.values()].sort((a, b) => a - b);
    const features = [...cells].map(([k, n]) => {
      const [ix, iy] = k.split(',').map(Number);
      const rank = sorted.findIndex((v) => v >= n);
      return { type: 'Feature', id: k, geometry: square(ix, iy), properties: { density: n * 100, percentile: (100 * rank) / sorted.length } };
    });
    return { type: 'FeatureCollection', features, metadata: { mock: true } };
  },
  '/api/hotspots/gistar': async (q) => {
    const list = await selected(q);
    const { cells, square } = grid(list, Number(q.get('cell') || 250));
    const values = [...cells.values()];
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length) || 1;
    const features = [];
    for (const [k, n] of cells) {
      const z = (n - mean) / sd;
      const a = Math.abs(z);
      const level = a >= 2.576 ? 3 : a >= 1.96 ? 2 : a >= 1.645 ? 1 : 0;
      if (!level) continue;
      const [ix, iy] = k.split(',').map(Number);
      features.push({ type: 'Feature', id: k, geometry: square(ix, iy), properties: { count: n, z, p: 0.01, bin: z < 0 ? -level : level } });
    }
    return { type: 'FeatureCollection', features, metadata: { mock: true } };
  },
  '/api/profile': async (q) => {
    const list = await selected(q);
    const how = Array.from({ length: 7 }, () => new Array(24).fill(0));
    const months = new Map();
    for (const f of list) {
      const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})/.exec(f.properties.occurred_at);
      if (!m) continue;
      const wd = (new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).getUTCDay() + 6) % 7;
      how[wd][+m[4]] += 1;
      months.set(`${m[1]}-${m[2]}`, (months.get(`${m[1]}-${m[2]}`) || 0) + 1);
    }
    return { hour_of_week: how, monthly: [...months].sort().map(([month, count]) => ({ month, count })), excluded: {}, metadata: { mock: true } };
  },
  '/api/compare': async (q) => {
    const a = new URLSearchParams(q);
    a.set('from', q.get('a_from'));
    a.set('to', q.get('a_to'));
    const b = new URLSearchParams(q);
    b.set('from', q.get('b_from'));
    b.set('to', q.get('b_to'));
    const [la, lb] = await Promise.all([selected(a), selected(b)]);
    const { wards } = await layers();
    return {
      type: 'FeatureCollection',
      features: wards.features.map((f) => {
        const ca = la.filter((i) => i.properties.ward === f.id).length;
        const cb = lb.filter((i) => i.properties.ward === f.id).length;
        return { type: 'Feature', id: f.id, geometry: f.geometry, properties: { name: f.properties.name, count_a: ca, count_b: cb, change: cb - ca, percent_change: ca ? (100 * (cb - ca)) / ca : null, p_value: 0.5 } };
      }),
      metadata: { mock: true },
    };
  },
};

http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  const p = url.pathname;
  try {
    if (p.startsWith('/api/')) {
      const r = await upstreamJson(`${p}${url.search}`);
      if (r.status !== 404 || !handlers[p]) {
        res.writeHead(r.status, { 'Content-Type': r.type || 'application/json' });
        res.end(r.body);
        return;
      }
      const body = await handlers[p](url.searchParams);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
      return;
    }
    const file = path.join(root, 'static', p === '/' ? 'index.html' : p);
    if (!file.startsWith(path.join(root, 'static')) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404);
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  } catch (err) {
    res.writeHead(err.status || 500, { 'Content-Type': 'application/json' });
    res.end(err.status ? err.message : JSON.stringify({ error: { code: 'internal', message: String(err) } }));
  }
}).listen(port, '127.0.0.1', function listening() {
  console.log(`hotspotd listening on http://127.0.0.1:${this.address().port}/`);
});
