// The page's URL state and colour classes, checked in node without a browser:
// every state survives a trip through the URL, bad links are survived, and
// every count falls in exactly one class.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Checks, sourceDir } from './harness.mjs';

const checks = new Checks('page-state');
const S = await import(pathToFileURL(path.join(sourceDir, 'static/state.js')));
const P = await import(pathToFileURL(path.join(sourceDir, 'static/palette.js')));

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// The page's method defaults come from the server's /api/parameters answer;
// here an answer of that shape is passed in as data (values are strings).
const PARAMETERS = {
  defaults: {
    'hotspots/dbscan': { preset: null, eps: '100', min_points: '10', hull: 'convex', concave_ratio: null },
    'hotspots/kde': { preset: null, cell: '100', bandwidth: '500', output: 'grid', threshold: '0.05', levels: null, quantiles: null },
    'hotspots/gistar': { preset: null, on: 'grid', cell: '250', band: '750', fdr: 'false', all: 'false' },
  },
};
const D = S.methodDefaults(PARAMETERS);
checks.ok(same(D, { eps: 100, min_points: 10, bandwidth: 500, cell: 250, band: 750 }), 'method defaults are read from the /api/parameters answer', JSON.stringify(D));
{
  let threw = false;
  try { S.methodDefaults({ defaults: { 'hotspots/dbscan': { eps: '100' } } }); } catch { threw = true; }
  checks.ok(threw, 'a parameters answer without a default is refused, not papered over');
  const other = S.methodDefaults({ defaults: { ...PARAMETERS.defaults, 'hotspots/kde': { bandwidth: '300' } } });
  const state = S.defaultState(other);
  checks.ok(state.bandwidth === 300 && S.queryFromState(state, other) === '' && S.queryFromState(state, D) === 'bandwidth=300', 'the defaults given decide what the URL leaves out', S.queryFromState(state, D));
}

// Round trips.
const base = S.defaultState(D);
checks.ok(S.queryFromState(base, D) === '', 'the default view has an empty query');
checks.ok(same(S.stateFromQuery('', D).state, base), 'an empty query is the default view');
const variants = [
  { preset: 'all', ...S.PRESETS.all.filters },
  { preset: 'custom', ...S.PRESETS.all.filters, categories: ['violence'] },
  { preset: 'custom', ...S.PRESETS.nte.filters, days: ['sat'], from: '2024-01-01', to: '2024-03-31' },
  { preset: 'custom', ...S.PRESETS.all.filters, scope: 'town-centres', window: '22:00-03:00' },
  { method: 'gistar', cell: 300, band: 900, points: false },
  { method: 'kde', bandwidth: 700, wards: false, sel: 'ward:E05008806', view: '54.7,-1.6,12' },
  { compare: true, preset: 'custom', ...S.PRESETS.all.filters, from: '2024-07-01', to: '2024-12-31', cmp_from: '2024-01-01', cmp_to: '2024-06-30' },
  { tiles: 'https://tile.example.org/{z}/{x}/{y}.png' },
];
for (const change of variants) {
  const state = { ...S.defaultState(D), ...change };
  const query = S.queryFromState(state, D);
  const back = S.stateFromQuery(query, D).state;
  checks.ok(same(back, state), `round trip of ${JSON.stringify(change).slice(0, 70)}`, `${query} -> ${JSON.stringify(back)}`);
}

// Filters without a preset make a custom view that starts from "all".
{
  const { state } = S.stateFromQuery('categories=asb', D);
  checks.ok(state.preset === 'custom' && same(state.categories, ['asb']) && same(state.days, []) && state.window === '', 'filters alone give a custom view');
}

// Bad links are ignored piece by piece, and reported.
{
  const { state, problems } = S.stateFromQuery('preset=zzz&categories=violence,bogus&window=25:00-01:00&from=yesterday&method=magic&eps=-4&scope=moon', D);
  checks.ok(same(state.categories, ['violence']), 'unknown categories are dropped');
  checks.ok(state.window === '' && state.from === '' && state.method === 'clusters' && state.eps === D.eps && state.scope === 'everywhere', 'bad values fall back');
  checks.ok(problems.length >= 6, 'bad values are reported', problems.join('; '));
}

// Server values: the nte view is sent as the preset; a custom one in full.
checks.ok(same(S.requestValues(base), { preset: 'nte' }), 'the nte view asks for preset=nte');
// An area group narrows any view, preset or not, and survives the link.
{
  const inGroup = { ...base, group: 'E14000641' };
  checks.ok(same(S.requestValues(inGroup), { preset: 'nte', group: 'E14000641' }), 'a group is sent with the preset');
  checks.ok(S.selectionValues({ ...inGroup, preset: 'custom' }).group === 'E14000641', 'a group is sent with custom filters');
  const query = S.queryFromState({ ...inGroup, groups: true }, D);
  const back = S.stateFromQuery(query, D).state;
  checks.ok(back.group === 'E14000641' && back.groups === true && back.preset === 'nte', 'the group and its layer round-trip through the URL', query);
}
{
  const v = S.requestValues({ ...base, preset: 'custom', days: [] });
  checks.ok(v.categories.join(',') === 'violence,criminal_damage' && v.days === '' && v.scope === 'buffer' && v.buffer === 500 && !('preset' in v), 'a custom view sends its filters', JSON.stringify(v));
  const all = S.requestValues({ ...base, preset: 'all', ...S.PRESETS.all.filters });
  checks.ok(Object.values(all).every((x) => x === ''), 'the all view sends no filters', JSON.stringify(all));
}
checks.ok(S.matchesPreset(base, 'nte') && !S.matchesPreset({ ...base, window: '' }, 'nte'), 'preset matching');
checks.ok(/violence and criminal damage on Fri and Sat nights 20:00–04:00 within 500 m/i.test(S.describeSelection(base)), 'plain-words summary', S.describeSelection(base));

// Classes: contiguous, increasing, cover every count exactly once.
let seed = 11;
const rand = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const samples = [[], [0, 0], [5], [1, 1, 1], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], Array.from({ length: 63 }, () => Math.floor(rand() ** 3 * 3000))];
for (const counts of samples) {
  const classes = P.countClasses(counts);
  let good = classes[0].min === 0 && classes[0].max === 0 && classes.length <= 6;
  for (let i = 1; i < classes.length; i += 1) good = good && classes[i].min === classes[i - 1].max + 1 && classes[i].max >= classes[i].min;
  const top = Math.max(0, ...counts);
  good = good && classes[classes.length - 1].max === top;
  for (const n of counts) good = good && classes.filter((c) => n >= c.min && n <= c.max).length === 1;
  const colours = new Set(classes.map((c) => c.colour));
  good = good && colours.size === classes.length;
  checks.ok(good, `classes for ${counts.length} counts (max ${top})`, JSON.stringify(classes));
}

// Gi* classes carry the labels hot-spot maps conventionally use.
checks.ok(P.GI_CLASSES.length === 7 && P.giClass(3).label === 'Hot spot – 99 % confidence' && P.giClass(-1).label === 'Cold spot – 90 % confidence', 'Gi* class labels');

checks.finish();
