// What the "Data sources" panel draws: one list item per source of the
// store and the load report of an upload. Built with DOM nodes and
// textContent only, since names, file names and reasons are whatever an
// editor uploaded.
import { formatCount, MONTHS } from './format.js';

// el('p', { className: 'x', dataset: {…}, attrs: {…} }, 'text', child, …)
export function el(tag, { dataset = {}, attrs = {}, ...props } = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  Object.assign(node.dataset, dataset);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

// "2024-06-07T21:15:00Z" -> "7 Jun 2024"; with `time`, "7 Jun 2024, 21:15 UTC".
export function shortDate(text, { time = false } = {}) {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(String(text || ''));
  if (!m) return text ? String(text) : '';
  const day = `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
  return time && m[4] ? `${day}, ${m[4]}:${m[5]} UTC` : day;
}

// The server's reason codes in words (the code stays beside them, as the
// load report and docs/data.md name it).
const ISSUE_WORDS = {
  missing_coordinates: 'no coordinates',
  bad_coordinates: 'coordinates not usable',
  outside_study_area: 'outside the loaded wards (the study area)',
  bad_time: 'time missing or not readable',
  unknown_category: 'category not known (kept as "other")',
  malformed_row: 'malformed row',
  bad_domestic: 'domestic flag not readable',
  duplicate: 'already stored',
};
export const issueWords = (code) => (ISSUE_WORDS[code] ? `${ISSUE_WORDS[code]} (${code})` : code);

const count = (name, n) => el('span', { className: 'count', dataset: { count: name } }, formatCount(n ?? 0));

// One source: name and badges, kind and file, rows, dates, who and when,
// and (unless withdrawn) the buttons that replace or withdraw it.
export function sourceItem(source) {
  const rows = source.rows || {};
  const title = el('p', { className: 'source-title' }, el('strong', {}, source.name),
    source.synthetic ? [' ', el('span', { className: 'badge synthetic-badge' }, 'synthetic')] : null,
    source.withdrawn_at ? [' ', el('span', { className: 'badge withdrawn-badge' }, 'withdrawn')] : null);
  const range = source.first_occurred
    ? `${shortDate(source.first_occurred)} – ${shortDate(source.last_occurred)}` : 'no dated rows';
  const history = [`Added by ${source.added_by || 'unknown'}, ${shortDate(source.added_at, { time: true })}`];
  if (source.replaced_at) history.push(`replaced by ${source.replaced_by || 'unknown'}, ${shortDate(source.replaced_at, { time: true })}`);
  if (source.withdrawn_at) history.push(`withdrawn by ${source.withdrawn_by || 'unknown'}, ${shortDate(source.withdrawn_at, { time: true })}`);
  const item = el('li', { className: 'source-item', dataset: { id: String(source.id) } },
    title,
    el('p', { className: 'source-meta' }, `${source.kind} · ${source.file_name}`),
    el('p', { className: 'source-rows' }, count('stored', rows.stored), ' stored · ',
      count('rejected', rows.rejected), ' rejected · ', count('duplicate', rows.duplicate), ' duplicate'),
    el('p', { className: 'source-meta' }, range),
    el('p', { className: 'source-meta' }, `${history.join('; ')}.`),
    source.licence ? el('p', { className: 'source-meta' }, `Licence: ${source.licence}`) : null);
  if (!source.withdrawn_at) {
    const named = (verb) => [verb, el('span', { className: 'visually-hidden' }, ` ${source.name}`)];
    item.append(el('div', { className: 'source-actions' },
      el('button', { type: 'button', className: 'secondary', dataset: { act: 'replace' } }, named('Replace…')),
      el('button', { type: 'button', className: 'secondary danger', dataset: { act: 'withdraw' } }, named('Withdraw…'))));
  }
  return item;
}

// The confirm step of a withdrawal, inside the source's item.
export function withdrawConfirm(source) {
  const stored = formatCount(source.rows ? source.rows.stored : 0);
  return el('div', { className: 'source-confirm', attrs: { role: 'group', 'aria-label': `Withdraw ${source.name}?` } },
    el('p', {}, `Withdraw “${source.name}”? Its ${stored} incidents leave the map for everyone. It stays listed under “Show withdrawn sources”.`),
    el('button', { type: 'button', className: 'danger', dataset: { act: 'confirm-withdraw' } }, 'Yes, withdraw it'),
    ' ',
    el('button', { type: 'button', className: 'secondary', dataset: { act: 'cancel-withdraw' } }, 'Cancel'),
    el('p', { className: 'source-error', attrs: { role: 'alert' } }));
}

// A load report ({rows_read, rows_accepted, …, issues, examples}) with the
// snapshot the server now serves, if it said.
export function reportView(report, snapshot = null) {
  const line = (label, name, n) => [el('dt', {}, label), el('dd', {}, count(name, n))];
  const parts = [el('dl', { className: 'report-counts' },
    line('Rows read', 'read', report.rows_read),
    line('Accepted', 'accepted', report.rows_accepted),
    line('Rejected', 'rejected', report.rows_rejected),
    line('Duplicates', 'duplicate', report.rows_duplicate))];
  const issues = Object.entries(report.issues || {});
  if (issues.length) {
    parts.push(el('p', { className: 'report-reasons' }, 'Reasons: ',
      issues.map(([code, n]) => `${issueWords(code)}: ${formatCount(n)}`).join('; '), '.'));
  }
  const examples = (report.examples || []).slice(0, 6);
  if (examples.length) {
    parts.push(el('ul', { className: 'report-examples' }, examples.map((e) => el('li', {},
      e.line > 0 ? `Line ${e.line}: ` : '', `${issueWords(e.issue)}`, e.detail ? ` — ${e.detail}` : ''))));
  }
  for (const note of report.notes || []) parts.push(el('p', { className: 'help' }, note));
  if (snapshot) {
    parts.push(snapshot.served
      ? el('p', {}, `The map now serves ${formatCount(snapshot.incidents)} incidents.`)
      : el('p', { className: 'source-error' }, `Stored, but the server could not serve the new data yet: ${(snapshot.failures || []).join('; ') || snapshot.reason || 'no reason given'}.`));
  }
  return parts;
}
