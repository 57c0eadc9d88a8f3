// Generates src/charts/basemap.bin, the coastline the supply map is drawn on, from Natural
// Earth's 1:10m countries as packaged by the npm package world-atlas (TopoJSON).
//
//   cd tools/basemap && npm ci && node generate.mjs ../../src/charts/basemap.bin
//
// What it does: decodes the countries, keeps every land polygon in the window around
// Indonesia (lon 90..146, lat -15..10), clips the rings to that window, simplifies each with
// Douglas-Peucker (tolerance 0.01 degrees, about 1 km), drops islands smaller than about
// 4 km², and writes them in the format src/charts/basemap.rs reads:
//
//   "SNGBMAP1", u32 ring count, then per ring: u8 kind (0 Indonesia, 1 another country),
//   u32 point count, and that many (i16 lon, i16 lat) in steps of 0.005 degrees from
//   (lon 118, lat 0); every number little-endian. Rings are closed implicitly.
//
// The output depends only on the input files: same packages, same bytes.

import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { feature } from "topojson-client";

const require = createRequire(import.meta.url);
const out = process.argv[2];
if (!out) {
  console.error("usage: node generate.mjs OUT.bin");
  process.exit(2);
}

const WINDOW = { west: 90, east: 146, south: -15, north: 10 };
const TOLERANCE = 0.01;
const MIN_AREA = 0.0004;
const STEP = 0.005;
const ORIGIN_LON = 118;
const INDONESIA = "360";

const topo = JSON.parse(
  readFileSync(require.resolve("world-atlas/countries-10m.json"), "utf8"),
);
const countries = feature(topo, topo.objects.countries).features;

/// Sutherland-Hodgman against one edge of the window.
function clipEdge(ring, inside, cross) {
  const out = [];
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i];
    const b = ring[(i + 1) % ring.length];
    const ina = inside(a);
    const inb = inside(b);
    if (ina) out.push(a);
    if (ina !== inb) out.push(cross(a, b));
  }
  return out;
}

function clip(ring) {
  const { west, east, south, north } = WINDOW;
  const atLon = (x) => (a, b) => [x, a[1] + ((b[1] - a[1]) * (x - a[0])) / (b[0] - a[0])];
  const atLat = (y) => (a, b) => [a[0] + ((b[0] - a[0]) * (y - a[1])) / (b[1] - a[1]), y];
  ring = clipEdge(ring, (p) => p[0] >= west, atLon(west));
  ring = clipEdge(ring, (p) => p[0] <= east, atLon(east));
  ring = clipEdge(ring, (p) => p[1] >= south, atLat(south));
  ring = clipEdge(ring, (p) => p[1] <= north, atLat(north));
  return ring;
}

function area(ring) {
  let s = 0;
  for (let i = 0; i < ring.length; i++) {
    const [x1, y1] = ring[i];
    const [x2, y2] = ring[(i + 1) % ring.length];
    s += x1 * y2 - x2 * y1;
  }
  return Math.abs(s) / 2;
}

function simplify(points, tolerance) {
  if (points.length < 3) return points;
  const keep = new Uint8Array(points.length);
  keep[0] = keep[points.length - 1] = 1;
  const stack = [[0, points.length - 1]];
  while (stack.length) {
    const [first, last] = stack.pop();
    const [ax, ay] = points[first];
    const [bx, by] = points[last];
    const dx = bx - ax;
    const dy = by - ay;
    const len = Math.hypot(dx, dy);
    let far = -1;
    let max = tolerance;
    for (let i = first + 1; i < last; i++) {
      const [px, py] = points[i];
      const d = len === 0 ? Math.hypot(px - ax, py - ay) : Math.abs(dy * px - dx * py + bx * ay - by * ax) / len;
      if (d > max) {
        max = d;
        far = i;
      }
    }
    if (far >= 0) {
      keep[far] = 1;
      stack.push([first, far], [far, last]);
    }
  }
  return points.filter((_, i) => keep[i]);
}

const rings = [];
for (const country of countries) {
  const g = country.geometry;
  if (!g) continue;
  const polygons = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
  for (const polygon of polygons) {
    // Outer rings only: the window holds no lake or enclave large enough to show.
    let ring = polygon[0].slice(0, -1);
    ring = clip(ring);
    if (ring.length < 3 || area(ring) < MIN_AREA) continue;
    // Simplify as an open line from the ring's westernmost point, so the closing point is kept.
    let start = 0;
    ring.forEach((p, i) => {
      if (p[0] < ring[start][0]) start = i;
    });
    const open = ring.slice(start).concat(ring.slice(0, start + 1));
    const simple = simplify(open, TOLERANCE).slice(0, -1);
    const quantized = [];
    for (const [lon, lat] of simple) {
      const q = [Math.round((lon - ORIGIN_LON) / STEP), Math.round(lat / STEP)];
      const last = quantized[quantized.length - 1];
      if (!last || last[0] !== q[0] || last[1] !== q[1]) quantized.push(q);
    }
    if (quantized.length < 3) continue;
    rings.push({ kind: country.id === INDONESIA ? 0 : 1, points: quantized });
  }
}

let size = 8 + 4;
for (const r of rings) size += 1 + 4 + 4 * r.points.length;
const buf = Buffer.alloc(size);
buf.write("SNGBMAP1", 0, "latin1");
let at = buf.writeUInt32LE(rings.length, 8);
for (const r of rings) {
  at = buf.writeUInt8(r.kind, at);
  at = buf.writeUInt32LE(r.points.length, at);
  for (const [x, y] of r.points) {
    at = buf.writeInt16LE(x, at);
    at = buf.writeInt16LE(y, at);
  }
}
writeFileSync(out, buf);
const points = rings.reduce((n, r) => n + r.points.length, 0);
console.log(`${out}: ${rings.length} rings, ${points} points, ${size} bytes`);
