// Small text helpers shared by every part of the page: names and codes of
// features, numbers and times as people read them, and HTML escaping (the
// page builds some markup from server text, which must never become markup).
import { DAYS } from './state.js';

export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

// Public mode (hotspotd --public) publishes counts below its threshold as
// null; the page says "fewer than N" for them. Set once at start.
let suppressedBelow = null;
export function setSuppressedBelow(minCount) {
  suppressedBelow = minCount;
}

// The words for a suppressed count ("fewer than 5").
export function suppressedText() {
  return suppressedBelow ? `fewer than ${suppressedBelow}` : 'not published';
}

export function formatCount(n) {
  if (n === null) return suppressedText();
  return Number(n).toLocaleString('en-GB');
}

export function featureName(feature) {
  const p = feature.properties || {};
  return p.name || String(feature.id ?? '');
}

// The area code, or the cluster's stable id (derived from its members, so a
// link to a cluster finds it again after a reload).
export function featureCode(feature) {
  return feature.id === undefined || feature.id === null ? '' : String(feature.id);
}

export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// "2024-03-08T22:15+00:00", "2024-03-08" or "2024-03" -> "Fri 8 Mar 2024, 22:15".
// Read as written: the server gives UK local time, so no conversion here.
export function formatLocalTime(text) {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?(?:[T ](\d{2}):(\d{2}))?/.exec(String(text || ''));
  if (!m) return text ? String(text) : 'time not known';
  const [, y, mo, d, h, mi] = m;
  if (!d) return `${MONTHS[Number(mo) - 1]} ${y} (month only)`;
  // getUTCDay() counts from Sunday; DAYS from Monday.
  const weekday = DAYS[(new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d))).getUTCDay() + 6) % 7].label;
  const date = `${weekday} ${Number(d)} ${MONTHS[Number(mo) - 1]} ${y}`;
  return h ? `${date}, ${h}:${mi}` : `${date} (time not known)`;
}

// The exact test's answer in plain words; p is the two-sided p-value of
// "both periods have the same daily rate".
export function changeInWords(p) {
  if (p === undefined || p === null || Number.isNaN(p)) return 'no test: too few incidents';
  const shown = p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
  if (p < 0.01) return `very unlikely to be chance alone, ${shown}`;
  if (p < 0.05) return `unlikely to be chance alone, ${shown}`;
  return `could well be chance, ${shown}`;
}
