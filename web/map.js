// The city map, drawn as SVG from the districts' polygons in the city's configuration: no tile server, no request
// leaving the machine. An optional tile layer is drawn underneath only when the page is given a tile URL template.
//
//   renderDistrictMap(container, { districts, points, incidents, fill, onPick, tileUrl, label }) → { update, destroy, project }
//
//   districts  the answer of GET /api/v1/districts ({ districts: [{id, name}], geojson }) or a GeoJSON FeatureCollection
//              whose features carry properties.id (and properties.name).
//   points     [{ lat, lon, state?, title?, href? }]: small dots; `state` becomes the class `pt-<state>` (e.g. on_track,
//              at_risk, overdue, paused), `title` the tooltip and accessible name, `href` makes the dot a link.
//   incidents  [{ lat, lon, count?, fresh?, title?, href? }]: larger marks, sized by `count`; `fresh` ones pulse.
//   fill       { [districtId]: 0..1 }: how dark each district is drawn (e.g. open or overdue tickets per district).
//   districtTitle(id) → string: the tooltip of a district (defaults to its configured name in the page's language).
//   onPick(lat, lon): when given, a click inside the city (or Enter on the keyboard cursor: arrow keys move it)
//              calls it; the picked place is marked.
//   tileUrl    optional template `…/{z}/{x}/{y}.png` (e.g. the setting QALA_MAP_TILE_URL); never set by default.
//   label      i18n key of the map's accessible name (default `map.label`).
//
// The projection is equirectangular, fitted to the city's extent (x scaled by cos of the middle latitude), which at
// a city's size is indistinguishable from the web's Mercator. Every visible text comes from the caller or from t().
import { localName, t } from './i18n.js';

const NS = 'http://www.w3.org/2000/svg';
const WIDTH = 1000;

function el(tag, attrs = {}, ...children) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined && v !== false) e.setAttribute(k, String(v));
  for (const c of children) if (c) e.append(c);
  return e;
}

function titled(node, text) {
  if (text) node.append(el('title', {}, document.createTextNode(text)));
  return node;
}

function features(districts) {
  const fc = districts?.geojson ?? districts;
  const names = new Map((districts?.districts ?? []).map((d) => [d.id, d.name]));
  return (fc?.features ?? []).map((f) => ({ id: f.properties?.id, name: names.get(f.properties?.id) ?? f.properties?.name, geometry: f.geometry }));
}

/** The rings of a Polygon or MultiPolygon as [[lon, lat], …] lists. */
function rings(geometry) {
  if (!geometry) return [];
  if (geometry.type === 'Polygon') return geometry.coordinates;
  if (geometry.type === 'MultiPolygon') return geometry.coordinates.flat();
  return [];
}

/** Even–odd point-in-polygon over every ring of the city (holes count as outside). */
function inside(shapes, lon, lat) {
  for (const s of shapes) {
    let hit = false;
    for (const ring of rings(s.geometry)) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i];
        const [xj, yj] = ring[j];
        if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) hit = !hit;
      }
    }
    if (hit) return s.id;
  }
  return null;
}

function fitProjection(shapes) {
  let [minLon, minLat, maxLon, maxLat] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const s of shapes)
    for (const ring of rings(s.geometry))
      for (const [lon, lat] of ring) {
        minLon = Math.min(minLon, lon);
        maxLon = Math.max(maxLon, lon);
        minLat = Math.min(minLat, lat);
        maxLat = Math.max(maxLat, lat);
      }
  // A margin of 3% around the city, so its outermost points do not touch the frame.
  const [padLon, padLat] = [(maxLon - minLon) * 0.03, (maxLat - minLat) * 0.03];
  [minLon, maxLon, minLat, maxLat] = [minLon - padLon, maxLon + padLon, minLat - padLat, maxLat + padLat];
  const k = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const scale = WIDTH / ((maxLon - minLon) * k || 1);
  const height = Math.max(1, Math.round((maxLat - minLat) * scale));
  return {
    bounds: { minLon, minLat, maxLon, maxLat },
    height,
    project: (lat, lon) => [(lon - minLon) * k * scale, (maxLat - lat) * scale],
    invert: (x, y) => [maxLat - y / scale, x / (k * scale) + minLon],
  };
}

function pathOf(geometry, project) {
  return rings(geometry)
    .map(
      (ring) =>
        `M${ring
          .map(([lon, lat]) =>
            project(lat, lon)
              .map((v) => v.toFixed(1))
              .join(','),
          )
          .join('L')}Z`,
    )
    .join('');
}

/** Web-Mercator tiles covering the city, each stretched into its place in our projection. */
function tileLayer(template, bounds, project) {
  const g = el('g', { class: 'map-tiles', 'aria-hidden': 'true' });
  const z = 12;
  const n = 2 ** z;
  const tx = (lon) => Math.floor(((lon + 180) / 360) * n);
  const ty = (lat) => Math.floor(((1 - Math.log(Math.tan((lat * Math.PI) / 180) + 1 / Math.cos((lat * Math.PI) / 180)) / Math.PI) / 2) * n);
  const lonOf = (x) => (x / n) * 360 - 180;
  const latOf = (y) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI;
  for (let x = tx(bounds.minLon); x <= tx(bounds.maxLon); x++)
    for (let y = ty(bounds.maxLat); y <= ty(bounds.minLat); y++) {
      const [x0, y0] = project(latOf(y), lonOf(x));
      const [x1, y1] = project(latOf(y + 1), lonOf(x + 1));
      const href = template.replace('{z}', z).replace('{x}', x).replace('{y}', y);
      g.append(el('image', { href, x: x0, y: y0, width: x1 - x0, height: y1 - y0, preserveAspectRatio: 'none' }));
    }
  return g;
}

function mark(kind, [x, y], r, item) {
  const shape = el('circle', { cx: x.toFixed(1), cy: y.toFixed(1), r, class: kind });
  const node = item.href ? el('a', { href: item.href }, shape) : shape;
  return titled(node, item.title);
}

export function renderDistrictMap(container, options = {}) {
  const shapes = features(options.districts).filter((s) => s.id);
  const { project, invert, bounds, height } = fitProjection(shapes);
  const svg = el('svg', {
    class: 'district-map',
    viewBox: `0 0 ${WIDTH} ${height}`,
    role: 'group',
    'aria-label': t(options.label ?? 'map.label'),
  });
  if (options.tileUrl) svg.append(tileLayer(options.tileUrl, bounds, project));
  const areas = el('g', { class: 'map-districts' });
  const layers = { points: el('g', { class: 'map-points' }), incidents: el('g', { class: 'map-incidents' }), pick: el('g', { class: 'map-pick' }) };
  svg.append(areas, layers.points, layers.incidents, layers.pick);
  const districtPaths = new Map();
  for (const s of shapes) {
    const p = el('path', { d: pathOf(s.geometry, project), class: 'district', 'data-district': s.id });
    districtPaths.set(s.id, p);
    areas.append(p);
  }

  function update({ points = [], incidents = [], fill = {}, districtTitle } = {}) {
    for (const [id, p] of districtPaths) {
      const share = Math.max(0, Math.min(1, Number(fill[id] ?? 0)));
      p.style.setProperty('--density', share.toFixed(3));
      p.replaceChildren();
      const s = shapes.find((x) => x.id === id);
      titled(p, districtTitle ? districtTitle(id) : localName(s?.name) || id);
    }
    const located = (xs) => xs.filter((x) => Number.isFinite(x?.lat) && Number.isFinite(x?.lon));
    layers.points.replaceChildren(...located(points).map((p) => mark(`pt pt-${p.state ?? 'none'}`, project(p.lat, p.lon), 5, p)));
    layers.incidents.replaceChildren(
      ...located(incidents).map((i) =>
        mark(`inc${i.fresh ? ' inc-fresh' : ''}`, project(i.lat, i.lon), 9 + Math.min(12, 2 * Math.sqrt(i.count ?? 1)), i),
      ),
    );
  }

  // The picker: a click, or a keyboard cursor (arrow keys move it by 2% of the city, Enter picks) inside the city.
  let cursor = project((bounds.minLat + bounds.maxLat) / 2, (bounds.minLon + bounds.maxLon) / 2);
  function showPick([x, y], kind) {
    layers.pick.replaceChildren(el('circle', { cx: x, cy: y, r: 10, class: kind }), el('circle', { cx: x, cy: y, r: 2.5, class: `${kind}-dot` }));
  }
  function pickAt([x, y]) {
    const [lat, lon] = invert(x, y);
    if (!inside(shapes, lon, lat)) return false;
    showPick([x, y], 'picked');
    options.onPick(Number(lat.toFixed(6)), Number(lon.toFixed(6)));
    return true;
  }
  const onClick = (e) => {
    const m = svg.getScreenCTM();
    if (!m) return;
    const pt = new DOMPoint(e.clientX, e.clientY).matrixTransform(m.inverse());
    cursor = [pt.x, pt.y];
    pickAt(cursor);
  };
  const onKey = (e) => {
    const step = WIDTH / 50;
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (moves[e.key]) {
      e.preventDefault();
      cursor = [Math.max(0, Math.min(WIDTH, cursor[0] + moves[e.key][0])), Math.max(0, Math.min(height, cursor[1] + moves[e.key][1]))];
      showPick(cursor, 'cursor');
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      pickAt(cursor);
    }
  };
  if (options.onPick) {
    svg.classList.add('pickable');
    svg.setAttribute('tabindex', '0');
    svg.setAttribute('aria-description', t('map.pick.hint'));
    svg.addEventListener('click', onClick);
    svg.addEventListener('keydown', onKey);
  }

  update(options);
  container.append(svg);
  return {
    svg,
    update,
    project,
    /** The district a place falls in, or null outside the city. */
    districtAt: (lat, lon) => inside(shapes, lon, lat),
    destroy() {
      svg.removeEventListener('click', onClick);
      svg.removeEventListener('keydown', onKey);
      svg.remove();
    },
  };
}
