// What a place's details show, as HTML: counts by category, the
// hour-of-week grid and the month-by-month trend (a Chart.js line). Pure
// builders from a profile object (see loader.js loadPlaceProfile); the
// details control puts them on screen.
import { CATEGORIES, DAYS, categoryLabel } from './state.js';
import { escapeHtml, formatCount, MONTHS } from './format.js';
import { HOUR_RAMP } from './palette.js';


function categoryTable(byCategory, total) {
  // null: suppressed in public mode ("fewer than N"), still a row.
  const rows = CATEGORIES.filter((c) => byCategory[c.id] || byCategory[c.id] === null).map((c) => `<tr><td>${c.label}</td><td class="num">${formatCount(byCategory[c.id])}</td></tr>`);
  for (const [id, n] of Object.entries(byCategory)) {
    if (!CATEGORIES.some((c) => c.id === id) && (n || n === null)) rows.push(`<tr><td>${escapeHtml(categoryLabel(id))}</td><td class="num">${formatCount(n)}</td></tr>`);
  }
  if (!rows.length) return '<p>No incidents match the current choices here.</p>';
  return `<table><caption class="visually-hidden">Incidents by category</caption>
    <thead><tr><th scope="col">Category</th><th scope="col" class="num">Incidents</th></tr></thead>
    <tbody>${rows.join('')}</tbody>
    <tfoot><tr><th scope="row">Total</th><td class="num">${formatCount(total === undefined ? 0 : total)}</td></tr></tfoot></table>`;
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
  const body = matrix.map((row, d) => `<tr><th scope="row">${DAYS[d].label}</th>${row.map((v, h) => {
    const label = `${DAYS[d].label} ${String(h).padStart(2, '0')}:00: ${v === null ? formatCount(v) : v}`;
    return `<td style="background:${heatColour(v, max)}" title="${label}"><span class="visually-hidden">${v === null ? formatCount(v) : v}</span></td>`;
  }).join('')}</tr>`).join('');
  const note = busiest
    ? `<p class="help">Busiest hour: ${DAYS[busiest.d].label} ${String(busiest.h).padStart(2, '0')}:00–${String((busiest.h + 1) % 24).padStart(2, '0')}:00 (${formatCount(busiest.v)} incidents). Darker = more incidents.</p>`
    : matrix.flat().some((v) => v === null)
      ? `<p class="help">Each hour holds ${formatCount(null)} incidents: not shown on a public map.</p>`
      : '<p class="help">No incidents with a time of day.</p>';
  return `<table class="how"><caption class="visually-hidden">Incidents by day of week (rows) and hour (columns)</caption><thead><tr><th scope="col"><span class="visually-hidden">Day</span></th>${head}</tr></thead><tbody>${body}</tbody></table>${note}`;
}

function monthLabel(key) {
  const [y, m] = key.split('-').map(Number);
  return `${MONTHS[m - 1]} ${y}`;
}

// Draws the monthly trend into the canvas; returns the chart so its owner
// can destroy it before the canvas goes.
export function drawTrend(canvas, monthly) {
  const Chart = window.Chart;
  return new Chart(canvas, {
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

// The body of the details panel for a profile ({ matrix, monthly,
// byCategory, total }), a subtitle and notes; a canvas#trend is left for
// drawTrend when there is a monthly series.
export function profileHtml(subtitle, profile, notes) {
  const parts = [];
  if (subtitle) parts.push(`<p class="help">${escapeHtml(subtitle)}</p>`);
  parts.push(`<p><strong>${formatCount(profile.total === undefined ? 0 : profile.total)}</strong> incidents match the current choices.</p>`);
  if (profile.byCategory) parts.push('<h3>By category</h3>', categoryTable(profile.byCategory, profile.total));
  parts.push('<h3>When: day and hour</h3>', hourOfWeekTable(profile.matrix));
  if (profile.monthly.length) {
    const peak = profile.monthly.reduce((a, b) => (b.count > a.count ? b : a));
    parts.push('<h3>Month by month</h3>',
      `<div class="chart-box"><canvas id="trend" role="img" aria-label="Incidents per month from ${monthLabel(profile.monthly[0].key)} to ${monthLabel(profile.monthly[profile.monthly.length - 1].key)}; highest ${formatCount(peak.count)} in ${monthLabel(peak.key)}"></canvas></div>`);
  }
  if (notes) parts.push(`<p class="help">${escapeHtml(notes)}</p>`);
  return parts.join('');
}


// What the server says about a cluster as a whole, in sentences.
export function clusterFacts(props) {
  const facts = [];
  if (Number.isInteger(props.busiest_hour)) {
    const pad = (n) => String(n % 24).padStart(2, '0');
    facts.push(`Busiest hour: ${pad(props.busiest_hour)}:00–${pad(props.busiest_hour + 1)}:00.`);
  }
  const busiestDay = DAYS.find((d) => d.id === props.busiest_weekday);
  if (busiestDay) facts.push(`Busiest day: ${busiestDay.plural}.`);
  facts.push(`${(props.share * 100).toFixed(1)} % of the chosen incidents.`);
  if (props.distinct_locations === 1) {
    facts.push('One map point: police.uk places these crimes here, the true locations are nearby.');
  } else if (Number.isInteger(props.distinct_locations)) {
    facts.push(`${props.distinct_locations.toLocaleString('en-GB')} distinct map points.`);
  }
  if (props.wards.length) facts.push(`Ward${props.wards.length > 1 ? 's' : ''}: ${props.wards.map((w) => w.name).join(', ')}.`);
  const near = props.nearest_town_centre;
  if (near) {
    const m = Number(near.distance_m);
    facts.push(m === 0 ? `Centred in ${near.name} town centre.` : `Centre ${m < 1000 ? `${Math.round(m)} m` : `${(m / 1000).toFixed(1)} km`} from ${near.name} town centre.`);
  }
  return facts;
}
