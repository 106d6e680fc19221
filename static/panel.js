// The details panel for a ward, town centre or cluster: counts by category,
// the hour-of-week grid and the monthly trend. Numbers come from
// /api/profile when the server offers it, otherwise from the incident points
// the map has loaded (the panel says which).
import { CATEGORIES, categoryLabel } from './state.js';
import { escapeHtml, formatCount } from './layers.js';
import { HOUR_RAMP } from './palette.js';

const DAY_LABELS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

let chart = null;

// ---- reading a profile answer ----------------------------------------

function toMatrix(value) {
  if (!value) return null;
  const m = value.counts || value.matrix || value;
  if (Array.isArray(m) && m.length === 7 && m.every((r) => Array.isArray(r) && r.length === 24)) return m.map((r) => r.map(Number));
  if (Array.isArray(m) && m.length === 168) return DAY_LABELS.map((_, d) => m.slice(d * 24, d * 24 + 24).map(Number));
  return null;
}

function toMonthly(value) {
  if (!Array.isArray(value)) return null;
  return value.map((m) => {
    if (typeof m.month === 'string') return { key: m.month.slice(0, 7), count: Number(m.count) };
    return { key: `${m.year}-${String(m.month).padStart(2, '0')}`, count: Number(m.count) };
  });
}

function toCategories(value) {
  if (!value) return null;
  if (Array.isArray(value)) {
    const out = {};
    for (const v of value) out[v.category || v.id] = Number(v.count);
    return out;
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, Number(v)]));
}

// Accepts a plain object or a GeoJSON answer whose profile sits in
// properties or metadata.
export function readProfile(body) {
  const src = body.properties || body.profile || body;
  const feature = Array.isArray(body.features) && body.features.length ? body.features[0].properties : null;
  const pick = (...names) => {
    for (const holder of [src, feature, body.metadata]) {
      if (!holder) continue;
      for (const n of names) if (holder[n] !== undefined) return holder[n];
    }
    return undefined;
  };
  const matrix = toMatrix(pick('hour_of_week', 'hourOfWeek'));
  const monthly = toMonthly(pick('monthly', 'months', 'trend'));
  const byCategory = toCategories(pick('by_category', 'categories'));
  const totalValue = pick('total', 'count');
  let total = typeof totalValue === 'number' ? totalValue : undefined;
  if (total === undefined && byCategory) total = Object.values(byCategory).reduce((a, b) => a + b, 0);
  // Every selected row counts in the monthly trend, whatever its precision.
  if (total === undefined && monthly) total = monthly.reduce((a, m) => a + m.count, 0);
  if (!matrix && !monthly && !byCategory) return null;
  return { matrix, monthly, byCategory, total, excluded: pick('excluded') };
}

// ---- the same numbers from incident points ---------------------------

function zeroMatrix() {
  return DAY_LABELS.map(() => new Array(24).fill(0));
}

// occurred_at is local time as text ("2024-03-15T22:41+00:00"); the calendar
// weekday and hour of the record itself, as the server's profile uses.
export function profileFromIncidents(features) {
  const matrix = zeroMatrix();
  const byCategory = {};
  const months = new Map();
  let withoutHour = 0;
  for (const f of features) {
    const p = f.properties || {};
    byCategory[p.category] = (byCategory[p.category] || 0) + 1;
    const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?(?:T(\d{2}):(\d{2}))?/.exec(p.occurred_at || '');
    if (!m) continue;
    const key = `${m[1]}-${m[2]}`;
    months.set(key, (months.get(key) || 0) + 1);
    if (m[3] && m[4]) {
      const weekday = (new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).getUTCDay() + 6) % 7;
      matrix[weekday][Number(m[4])] += 1;
    } else {
      withoutHour += 1;
    }
  }
  const monthly = fillMonths([...months.entries()].map(([key, count]) => ({ key, count })));
  return { matrix, monthly, byCategory, total: features.length, excluded: withoutHour ? { 'no time of day': withoutHour } : null };
}

// Every month from first to last, zero-filled, so the trend line is honest.
function fillMonths(list) {
  if (!list.length) return list;
  const sorted = [...list].sort((a, b) => a.key.localeCompare(b.key));
  const counts = new Map(sorted.map((m) => [m.key, m.count]));
  const out = [];
  let [y, mo] = sorted[0].key.split('-').map(Number);
  const [ly, lm] = sorted[sorted.length - 1].key.split('-').map(Number);
  while (y < ly || (y === ly && mo <= lm)) {
    const key = `${y}-${String(mo).padStart(2, '0')}`;
    out.push({ key, count: counts.get(key) || 0 });
    mo += 1;
    if (mo > 12) { mo = 1; y += 1; }
  }
  return out;
}

// ---- rendering -------------------------------------------------------

function categoryTable(byCategory, total) {
  const rows = CATEGORIES.filter((c) => byCategory[c.id]).map((c) => `<tr><td>${c.label}</td><td class="num">${formatCount(byCategory[c.id])}</td></tr>`);
  for (const [id, n] of Object.entries(byCategory)) {
    if (!CATEGORIES.some((c) => c.id === id) && n) rows.push(`<tr><td>${escapeHtml(categoryLabel(id))}</td><td class="num">${formatCount(n)}</td></tr>`);
  }
  if (!rows.length) return '<p>No incidents match the current choices here.</p>';
  return `<table><caption class="visually-hidden">Incidents by category</caption>
    <thead><tr><th scope="col">Category</th><th scope="col" class="num">Incidents</th></tr></thead>
    <tbody>${rows.join('')}</tbody>
    <tfoot><tr><th scope="row">Total</th><td class="num">${formatCount(total ?? 0)}</td></tr></tfoot></table>`;
}

function heatColour(value, max) {
  if (!value || !max) return '#ffffff';
  const i = Math.min(HOUR_RAMP.length - 1, Math.floor((value / max) * HOUR_RAMP.length));
  return HOUR_RAMP[Math.max(0, i)];
}

function hourOfWeekTable(matrix) {
  const max = Math.max(0, ...matrix.flat());
  let busiest = null;
  matrix.forEach((row, d) => row.forEach((v, h) => { if (v && (!busiest || v > busiest.v)) busiest = { d, h, v }; }));
  const head = Array.from({ length: 24 }, (_, h) => `<th scope="col">${h % 3 === 0 ? String(h).padStart(2, '0') : '<span class="visually-hidden">' + String(h).padStart(2, '0') + '</span>'}</th>`).join('');
  const body = matrix.map((row, d) => `<tr><th scope="row">${DAY_LABELS[d]}</th>${row.map((v, h) => {
    const label = `${DAY_LABELS[d]} ${String(h).padStart(2, '0')}:00: ${v}`;
    return `<td style="background:${heatColour(v, max)}" title="${label}"><span class="visually-hidden">${v}</span></td>`;
  }).join('')}</tr>`).join('');
  const note = busiest
    ? `<p class="help">Busiest hour: ${DAY_LABELS[busiest.d]} ${String(busiest.h).padStart(2, '0')}:00–${String((busiest.h + 1) % 24).padStart(2, '0')}:00 (${formatCount(busiest.v)} incidents). Darker = more incidents.</p>`
    : '<p class="help">No incidents with a time of day.</p>';
  return `<table class="how"><caption class="visually-hidden">Incidents by day of week (rows) and hour (columns)</caption><thead><tr><th scope="col"><span class="visually-hidden">Day</span></th>${head}</tr></thead><tbody>${body}</tbody></table>${note}`;
}

function monthLabel(key) {
  const [y, m] = key.split('-').map(Number);
  return `${MONTHS[m - 1]} ${y}`;
}

function drawTrend(canvas, monthly) {
  if (chart) { chart.destroy(); chart = null; }
  const Chart = window.Chart;
  if (!Chart || !canvas) return;
  chart = new Chart(canvas, {
    type: 'line',
    data: {
      labels: monthly.map((m) => monthLabel(m.key)),
      datasets: [{ label: 'Incidents per month', data: monthly.map((m) => m.count), borderColor: '#08306b', backgroundColor: '#08306b', pointRadius: 2, tension: 0 }],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { display: false } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
}

export function closePanel() {
  if (chart) { chart.destroy(); chart = null; }
  document.getElementById('panel').hidden = true;
}

export function showPanelMessage(title, html) {
  const panel = document.getElementById('panel');
  document.getElementById('panel-title').textContent = title;
  document.getElementById('panel-body').innerHTML = html;
  panel.hidden = false;
}

// Renders a profile: { matrix, monthly, byCategory, total } and a line
// naming where the numbers come from.
export function renderPanel(title, subtitle, profile, sourceNote) {
  const parts = [];
  if (subtitle) parts.push(`<p class="help">${escapeHtml(subtitle)}</p>`);
  if (!profile) {
    parts.push('<p>No details are available for this place.</p>');
  } else {
    parts.push(`<p><strong>${formatCount(profile.total ?? 0)}</strong> incidents match the current choices.</p>`);
    if (profile.byCategory) parts.push('<h3>By category</h3>', categoryTable(profile.byCategory, profile.total));
    if (profile.matrix) parts.push('<h3>When: day and hour</h3>', hourOfWeekTable(profile.matrix));
    if (profile.monthly && profile.monthly.length) {
      const peak = profile.monthly.reduce((a, b) => (b.count > a.count ? b : a));
      parts.push('<h3>Month by month</h3>',
        `<div class="chart-box"><canvas id="trend" role="img" aria-label="Incidents per month from ${monthLabel(profile.monthly[0].key)} to ${monthLabel(profile.monthly[profile.monthly.length - 1].key)}; highest ${formatCount(peak.count)} in ${monthLabel(peak.key)}"></canvas></div>`);
    }
    if (sourceNote) parts.push(`<p class="help">${escapeHtml(sourceNote)}</p>`);
  }
  showPanelMessage(title, parts.join(''));
  if (profile && profile.monthly && profile.monthly.length) drawTrend(document.getElementById('trend'), profile.monthly);
}
