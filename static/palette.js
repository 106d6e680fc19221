// Colours and classes. Sequential ramps are ColorBrewer's colour-blind-safe
// ones; Gi* uses the seven hot/cold classes that hot-spot maps conventionally
// use, so a coordinator who has seen one elsewhere reads this one the same way.

// ColorBrewer YlGnBu (5 classes), light to dark: ward counts stay apart
// from the red hotspot layers drawn over them.
export const WARD_RAMP = ['#ffffcc', '#a1dab4', '#41b6c4', '#2c7fb8', '#253494'];
// ColorBrewer YlOrRd (5 classes) for the hour-of-week grid.
export const HOUR_RAMP = ['#ffffb2', '#fecc5c', '#fd8d3c', '#f03b20', '#bd0026'];
export const NO_DATA = '#f2f2f2';

// ColorBrewer PuRd (5 classes) for the heat-surface contours.
export const KDE_RAMP = ['#f1eef6', '#d7b5d8', '#df65b0', '#dd1c77', '#980043'];

// Gi* bins from -3 (cold, 99 %) to +3 (hot, 99 %).
export const GI_CLASSES = [
  { bin: 3, colour: '#d62f27', label: 'Hot spot – 99 % confidence' },
  { bin: 2, colour: '#ed7551', label: 'Hot spot – 95 % confidence' },
  { bin: 1, colour: '#fab984', label: 'Hot spot – 90 % confidence' },
  { bin: 0, colour: '#ffffbf', label: 'Not significant' },
  { bin: -1, colour: '#c0ccbe', label: 'Cold spot – 90 % confidence' },
  { bin: -2, colour: '#849eba', label: 'Cold spot – 95 % confidence' },
  { bin: -3, colour: '#4575b5', label: 'Cold spot – 99 % confidence' },
];

export function giClass(bin) {
  return GI_CLASSES.find((c) => c.bin === bin) || GI_CLASSES[3];
}

// Rounds a class break to a figure people read easily (1, 2, 5 × 10^n).
function niceCeil(value) {
  if (value <= 10) return Math.ceil(value);
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= value) return step * power;
  }
  return 10 * power;
}

// Classes for counts: zero is its own class, the rest split into up to five
// classes at rounded quantiles. Returns [{min, max, colour}], ascending.
export function countClasses(counts, ramp = WARD_RAMP) {
  const positive = counts.filter((c) => c > 0).sort((a, b) => a - b);
  const classes = [{ min: 0, max: 0, colour: NO_DATA }];
  if (!positive.length) return classes;
  const top = positive[positive.length - 1];
  // Upper bounds at rounded quantiles, strictly increasing, the last = top.
  const uppers = [];
  for (let i = 1; i < ramp.length; i += 1) {
    const q = positive[Math.min(positive.length - 1, Math.ceil((i / ramp.length) * positive.length) - 1)];
    const b = niceCeil(q);
    if (b < top && (!uppers.length || b > uppers[uppers.length - 1])) uppers.push(b);
  }
  uppers.push(top);
  // Spread the ramp so few classes still run light to dark.
  let lower = 1;
  uppers.forEach((upper, i) => {
    const rampIndex = uppers.length === 1 ? ramp.length - 1 : Math.round((i * (ramp.length - 1)) / (uppers.length - 1));
    classes.push({ min: lower, max: upper, colour: ramp[rampIndex] });
    lower = upper + 1;
  });
  return classes;
}

export function classFor(classes, count) {
  for (const c of classes) {
    if (count >= c.min && count <= c.max) return c;
  }
  return classes[classes.length - 1];
}

// The shade of a count suppressed in public mode (null: 1 to min_count - 1):
// the lightest class above none.
export function suppressedClass(classes) {
  return classes[1] || classes[0];
}

export function classLabel(c) {
  if (c.min === 0 && c.max === 0) return 'None';
  return c.min === c.max ? `${c.min}` : `${c.min}–${c.max}`;
}
