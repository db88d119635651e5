// Small SVG charts for the situation centre, written here so the page loads no charting library: a line chart of a
// few series over days, and a bar chart of one series. Each chart is a <figure> whose data is also given as a table
// (visually hidden) for screen readers. Every visible word comes from the caller (t() keys resolved by them).
const NS = 'http://www.w3.org/2000/svg';
/** Distinct on white and for the common colour-blindness types (Okabe–Ito). */
export const PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000', '#8c564b'];

function svgEl(tag, attrs = {}, text) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function htmlEl(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

/** A round top of the axis: 1, 2, 5 × 10^n at or above the largest value. */
function niceMax(v) {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map((m) => m * p).find((m) => m >= v);
}

/** The data as a table, for those who cannot see the chart. */
function dataTable(caption, labels, series) {
  const head = htmlEl('tr', {}, htmlEl('th', { scope: 'col' }, ''), ...series.map((s) => htmlEl('th', { scope: 'col' }, s.name)));
  const rows = labels.map((l, i) => htmlEl('tr', {}, htmlEl('th', { scope: 'row' }, l), ...series.map((s) => htmlEl('td', {}, s.values[i] ?? 0))));
  // Hidden in a box: a table grows to its content whatever width it is given, and would widen a phone's page.
  return htmlEl(
    'div',
    { class: 'visually-hidden' },
    htmlEl('table', {}, htmlEl('caption', {}, caption), htmlEl('thead', {}, head), htmlEl('tbody', {}, ...rows)),
  );
}

function frame(W, H, pad, max) {
  const svg = svgEl('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', 'aria-hidden': 'true', focusable: 'false' });
  for (const f of [0, 0.5, 1]) {
    const y = pad.top + (1 - f) * (H - pad.top - pad.bottom);
    svg.append(svgEl('line', { x1: pad.left, x2: W - pad.right, y1: y, y2: y, class: 'chart-grid' }));
    svg.append(svgEl('text', { x: pad.left - 6, y: y + 4, 'text-anchor': 'end', class: 'chart-tick' }, String(Math.round(max * f))));
  }
  return svg;
}

/**
 * lineChart({ title, labels: ['03-08', …], series: [{ name, values: [n, …] }], tickEvery }) → <figure>.
 * Lines of several series over the same labels, with a legend.
 */
export function lineChart({ title, labels, series, tickEvery = Math.ceil(labels.length / 7) }) {
  const W = 560;
  const H = 220;
  const pad = { top: 12, right: 12, bottom: 28, left: 36 };
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const svg = frame(W, H, pad, max);
  const x = (i) => pad.left + (labels.length > 1 ? (i / (labels.length - 1)) * (W - pad.left - pad.right) : (W - pad.left - pad.right) / 2);
  const y = (v) => pad.top + (1 - v / max) * (H - pad.top - pad.bottom);
  labels.forEach((l, i) => {
    if (i % tickEvery === 0 || i === labels.length - 1)
      svg.append(svgEl('text', { x: x(i), y: H - 8, 'text-anchor': 'middle', class: 'chart-tick' }, l));
  });
  series.forEach((s, k) => {
    const colour = PALETTE[k % PALETTE.length];
    const d = s.values.map((v, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join('');
    svg.append(svgEl('path', { d, fill: 'none', stroke: colour, 'stroke-width': 2.5, 'stroke-linejoin': 'round' }));
    s.values.forEach((v, i) => {
      svg.append(svgEl('circle', { cx: x(i), cy: y(v), r: 3, fill: colour }));
    });
  });
  const legend = htmlEl(
    'ul',
    { class: 'chart-legend' },
    ...series.map((s, k) => {
      const li = htmlEl('li', {}, htmlEl('span', { class: 'swatch', style: `background:${PALETTE[k % PALETTE.length]}` }), s.name);
      return li;
    }),
  );
  return htmlEl('figure', { class: 'chart-figure' }, htmlEl('figcaption', {}, title), svg, legend, dataTable(title, labels, series));
}

/** barChart({ title, labels, values, format }) → <figure>: one bar per label, its value written on it. */
export function barChart({ title, labels, values, format = String }) {
  const W = 560;
  const rowH = 24;
  const pad = { left: 170, right: 50 };
  const H = Math.max(rowH, labels.length * rowH) + 8;
  const max = niceMax(Math.max(0, ...values));
  const svg = svgEl('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', 'aria-hidden': 'true', focusable: 'false' });
  labels.forEach((l, i) => {
    const top = 4 + i * rowH;
    const w = ((values[i] ?? 0) / max) * (W - pad.left - pad.right);
    // About 22 letters fit left of the bars at this size; the whole name is in the hover title and the data table.
    const label = svgEl(
      'text',
      { x: pad.left - 8, y: top + rowH * 0.65, 'text-anchor': 'end', class: 'chart-label' },
      l.length > 22 ? `${l.slice(0, 21)}…` : l,
    );
    label.append(svgEl('title', {}, l));
    svg.append(label);
    svg.append(svgEl('rect', { x: pad.left, y: top + 3, width: Math.max(1, w), height: rowH - 8, fill: PALETTE[0], rx: 3 }));
    svg.append(svgEl('text', { x: pad.left + w + 6, y: top + rowH * 0.65, class: 'chart-value' }, format(values[i] ?? 0)));
  });
  const series = [{ name: title, values: values.map(format) }];
  return htmlEl('figure', { class: 'chart-figure' }, htmlEl('figcaption', {}, title), svg, dataTable(title, labels, series));
}
