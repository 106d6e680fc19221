// The OGC API's OpenAPI 3.0 document (/ogc/api) validated by
// @apidevtools/swagger-parser against the OpenAPI 3.0 schema, with every
// path it lists answering a request; and each collection's items checked as
// RFC 7946 GeoJSON (@placemarkio/check-geojson). Starts build/hotspotd with
// the bundled data; exits non-zero on any failure.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { check } from '@placemarkio/check-geojson';
import { startServer, Checks } from './harness.mjs';

const checks = new Checks('openapi');
// With a store, so the sources and saved analyses are served too.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspot-openapi-'));
const server = await startServer(['--threads', '2', '--store', path.join(tmp, 'store.gpkg')]);
const base = server.url.replace(/\/$/, '');

async function fetchJson(path) {
  const response = await fetch(base + path, { headers: { accept: 'application/json' } });
  return { status: response.status, type: response.headers.get('content-type'), body: await response.json() };
}

try {
  const api = await fetchJson('/ogc/api');
  checks.ok(api.status === 200, 'GET /ogc/api answers 200');
  checks.ok(api.type === 'application/vnd.oai.openapi+json;version=3.0', 'OpenAPI media type', api.type);
  const doc = api.body;

  await checks.run('the document is valid OpenAPI 3.0', async () => {
    const valid = await SwaggerParser.validate(structuredClone(doc));
    checks.ok(valid.openapi.startsWith('3.0'), 'the document is valid OpenAPI 3.0');
  });

  // The validator does reject a broken document (so the check above can fail).
  await checks.run('a broken copy is refused', async () => {
    const broken = structuredClone(doc);
    delete broken.paths['/collections/{collectionId}/items'].get.responses;
    let refused = false;
    try {
      await SwaggerParser.validate(broken);
    } catch {
      refused = true;
    }
    checks.ok(refused, 'a broken copy is refused');
  });

  const paths = Object.keys(doc.paths);
  checks.ok(paths.includes('/api/incidents') && paths.includes('/collections/{collectionId}/items/{featureId}'),
    'the API and the OGC API are both described', paths.join(' '));

  // Every GET path without parameters in it answers (not 404/405).
  for (const path of paths.filter((p) => doc.paths[p].get && !p.includes('{'))) {
    // A path's own server (the map's API: the root), else the document's (/ogc).
    const server = (doc.paths[path].servers || doc.servers)[0].url;
    const response = await fetch(server + path + (path.startsWith('/api/compare') ? '?a_from=2024-01-01&a_to=2024-01-31&b_from=2024-02-01&b_to=2024-02-28' : ''));
    await response.arrayBuffer();
    checks.ok(response.status !== 404 && response.status !== 405, `GET ${path} is served`, String(response.status));
  }

  const collections = (await fetchJson('/ogc/collections')).body.collections;
  for (const { id } of collections) {
    const items = await fetchJson(`/ogc/collections/${id}/items?limit=50`);
    await checks.run(`${id} items are RFC 7946 GeoJSON`, async () => {
      check(JSON.stringify(items.body));
      const f = items.body.features;
      checks.ok(items.type === 'application/geo+json' && f.length > 0 && f.every((x) => x.id !== undefined),
        `${id} items are RFC 7946 GeoJSON with ids`, `${items.type} ${f.length}`);
    });
  }
} finally {
  await server.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
checks.finish();
