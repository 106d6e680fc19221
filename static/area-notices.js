// What the loaded data says about itself, shown once at start: the area's
// name in the title and the place controls (from /api/layers, never a fixed
// "County Durham"), the server's load warnings (town centres outside the
// wards), and the load report of every file.
import { el, reportView } from './source-view.js';
import { formatCount } from './format.js';

const $ = (id) => document.getElementById(id);

// Puts the area's name wherever the page names the whole area.
export function applyAreaName(name) {
  const place = name || 'the loaded area';
  document.title = name ? `Hotspot map – ${name}` : 'Hotspot map';
  document.querySelector('.banner h1 .place').textContent = name || '';
  $('map').setAttribute('aria-label', `Map of ${place}`);
  const everywhere = document.querySelector('#scope option[value="everywhere"]');
  if (everywhere) everywhere.textContent = `Everywhere in ${place}`;
  const whole = document.querySelector('#group option[value=""]');
  if (whole) whole.textContent = `The whole of ${place}`;
  $('whole-county').textContent = `Show the whole of ${place}`;
}

// The server's warnings about the data ("None of the 12 town centres
// overlaps the loaded wards ..."), one line each.
export function showDataWarnings(warnings) {
  const box = $('data-warnings');
  box.replaceChildren(...warnings.map((w) => el('p', {}, w)));
  box.hidden = warnings.length === 0;
}

// /api/load-report: a one-line summary that is always visible, and each
// file's counts, reasons and first examples inside.
export function showLoadReport(report) {
  const files = (report.files || []).filter((f) => f.kind === 'incidents');
  const rejected = files.reduce((n, f) => n + (f.rows_rejected || 0), 0);
  const accepted = files.reduce((n, f) => n + (f.rows_accepted || 0), 0);
  $('load-report-summary').textContent = `Data loaded: ${formatCount(accepted)} incidents accepted, ${formatCount(rejected)} rejected, from ${files.length} file${files.length === 1 ? '' : 's'}`;
  $('load-report-files').replaceChildren(...(report.files || []).map((file) => el('li', { className: 'report-file', dataset: { file: file.path } },
    el('p', { className: 'source-title' }, el('strong', {}, file.path), ` (${file.kind})`),
    file.loaded ? reportView(file) : el('p', { className: 'source-error' }, `Not loaded: ${file.error || 'no reason given'}`))));
}
