// Why the chosen incidents are fewer than those loaded, in words, from the
// selection funnel every analysis answer carries (metadata.counts.funnel):
// "262 incidents loaded; 180 not in the chosen categories; 82 have only a
// month, so they cannot be placed on a night of the week." A police.uk file
// has only months, so a weekend-night view of it is empty: the page says so
// and offers the views that fit the data.
import { el } from './source-view.js';
import { formatCount } from './format.js';

// The sentence for rows a step removed because their time is too coarse.
function coarseWords(step, n, precision, state) {
  const have = precision === 'month' ? 'have only a month' : 'have only a date';
  if (step === 'days') return `${formatCount(n)} ${have}, so they cannot be placed on ${state.window ? 'a night' : 'a day'} of the week`;
  if (step === 'window') return `${formatCount(n)} ${have}, so they cannot be placed in a time of day`;
  if (step === 'dates') return `${formatCount(n)} ${have} that lies only partly inside the dates`;
  return `${formatCount(n)} ${have}`;
}

// { sentence, offers: [{ label, changes }] } or null when nothing needs saying.
// `counts` is an answer's metadata.counts; `boundaries` says which town
// centres lie outside the wards.
export function selectionStory(counts, state, boundaries) {
  const funnel = counts && Array.isArray(counts.funnel) ? counts.funnel : [];
  if (!funnel.length) return null;
  const parts = [`${formatCount(funnel[0].entering)} incidents loaded`];
  let coarseTime = false;
  let emptiedByScope = false;
  for (const step of funnel) {
    if (step.removed_month_only) parts.push(coarseWords(step.step, step.removed_month_only, 'month', state));
    if (step.removed_day_only) parts.push(coarseWords(step.step, step.removed_day_only, 'day', state));
    if (step.removed_unjudged) parts.push(`${formatCount(step.removed_unjudged)} cannot be judged: no town centres are loaded`);
    if (step.removed_placed_outside) parts.push(`${formatCount(step.removed_placed_outside)} ${step.reason}`);
    coarseTime ||= (step.step === 'days' || step.step === 'window') && (step.removed_month_only || step.removed_day_only) > 0;
    emptiedByScope ||= step.step === 'scope' && step.removed > 0 && step.kept === 0;
  }
  const selected = counts.selected;
  // Only worth a word when the map is empty or rows could not be placed.
  if (selected !== 0 && !coarseTime) return null;
  const towns = boundaries.towns.features.length;
  const centresInside = towns > 0 && (boundaries.townsOutside || []).length < towns;
  const offers = [];
  if (coarseTime && centresInside && state.scope !== 'everywhere') {
    offers.push({ label: 'Town centres, all times', changes: { days: [], window: '' } });
  }
  if (coarseTime || emptiedByScope) {
    offers.push({
      label: coarseTime ? 'Everywhere, all times' : 'Everywhere',
      changes: coarseTime ? { scope: 'everywhere', days: [], window: '' } : { scope: 'everywhere' },
    });
  }
  const ending = selected === 0 ? ' None is left to show.' : '';
  return { sentence: `${parts.join('; ')}.${ending}`, offers };
}

// Draws the story into `box` (hidden when there is none); `onOffer(changes)`
// is called with the state changes of the view chosen.
export function showSelectionStory(box, story, onOffer) {
  box.hidden = !story;
  box.replaceChildren();
  if (!story) return;
  box.append(el('p', { className: 'story-text' }, story.sentence));
  if (!story.offers.length) return;
  const buttons = story.offers.map((offer) => {
    const button = el('button', { type: 'button', className: 'secondary' }, `Show ${offer.label.charAt(0).toLowerCase()}${offer.label.slice(1)}`);
    button.addEventListener('click', () => onOffer(offer.changes));
    return button;
  });
  box.append(el('p', { className: 'story-offers' }, 'A view that fits this data: ', ...buttons.flatMap((b, i) => (i ? [' ', b] : [b]))));
}
