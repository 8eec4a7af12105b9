#!/usr/bin/env node
// Draws the PNG icons the web app manifest lists (src/web/icon-192.png, icon-512.png) from src/web/icon.svg.
// Run it again after changing the icon: `node scripts/make-icons.mjs`; the PNGs are committed, so neither the
// build nor the server needs it. Debian's ffmpeg cannot read SVG, so this draws the icon's few shapes itself:
// it understands what icon.svg uses (a viewBox, <rect> with rx, <path> of straight lines: M L H V Z, absolute
// or relative) and refuses anything else. Each pixel is 8×8 samples, for smooth edges.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

const WEB = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'web');
const SIZES = [192, 512];
const SAMPLES = 8;

const svg = readFileSync(path.join(WEB, 'icon.svg'), 'utf8');
const attrs = (tag) => Object.fromEntries([...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
const [, , vw, vh] = attrs(/<svg[^>]*>/.exec(svg)[0]).viewBox.split(/\s+/).map(Number);

function color(hex) {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex ?? '');
  if (!m) throw new Error(`unsupported fill ${hex}`);
  const full = m[1].length === 3 ? [...m[1]].map((c) => c + c).join('') : m[1];
  return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16));
}

/** The polygons of a path made of straight lines. */
function polygons(d) {
  const tokens = d.match(/[A-Za-z]|-?\d*\.?\d+/g);
  const shapes = [];
  let points = [];
  let x = 0;
  let y = 0;
  let command = '';
  for (let i = 0; i < tokens.length; ) {
    if (/[A-Za-z]/.test(tokens[i])) command = tokens[i++];
    const next = () => Number(tokens[i++]);
    const relative = command === command.toLowerCase();
    switch (command.toUpperCase()) {
      case 'M':
        if (points.length) shapes.push(points);
        [x, y] = relative ? [x + next(), y + next()] : [next(), next()];
        points = [[x, y]];
        command = relative ? 'l' : 'L';
        break;
      case 'L':
        [x, y] = relative ? [x + next(), y + next()] : [next(), next()];
        points.push([x, y]);
        break;
      case 'H':
        x = relative ? x + next() : next();
        points.push([x, y]);
        break;
      case 'V':
        y = relative ? y + next() : next();
        points.push([x, y]);
        break;
      case 'Z':
        if (points.length) shapes.push(points);
        [x, y] = points[0] ?? [x, y];
        points = [];
        break;
      default:
        throw new Error(`unsupported path command ${command}`);
    }
  }
  if (points.length) shapes.push(points);
  return shapes;
}

/** Even-odd inside test over every polygon of a path. */
function insidePath(shapes, px, py) {
  let inside = false;
  for (const points of shapes) {
    for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
      const [xi, yi] = points[i];
      const [xj, yj] = points[j];
      if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

function insideRoundedRect({ x, y, width, height, rx }, px, py) {
  if (px < x || py < y || px > x + width || py > y + height) return false;
  const cx = Math.min(Math.max(px, x + rx), x + width - rx);
  const cy = Math.min(Math.max(py, y + rx), y + height - rx);
  return (px - cx) ** 2 + (py - cy) ** 2 <= rx * rx;
}

// The shapes in paint order.
const shapes = [...svg.matchAll(/<(rect|path)\b[^>]*>/g)].map(([tag, name]) => {
  const a = attrs(tag);
  if (name === 'rect') {
    const rect = { x: Number(a.x ?? 0), y: Number(a.y ?? 0), width: Number(a.width), height: Number(a.height), rx: Number(a.rx ?? 0) };
    return { fill: color(a.fill), inside: (px, py) => insideRoundedRect(rect, px, py) };
  }
  const parts = polygons(a.d);
  return { fill: color(a.fill), inside: (px, py) => insidePath(parts, px, py) };
});
if (/<(?!\/?(svg|rect|path)\b)/.test(svg)) throw new Error('icon.svg uses an element this script cannot draw');

for (const size of SIZES) {
  const png = new PNG({ width: size, height: size });
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      // Premultiplied colour and coverage of the pixel, shapes painted over each other.
      let [r, g, b, alpha] = [0, 0, 0, 0];
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const px = ((col + (sx + 0.5) / SAMPLES) * vw) / size;
          const py = ((row + (sy + 0.5) / SAMPLES) * vh) / size;
          let top;
          for (const shape of shapes) if (shape.inside(px, py)) top = shape.fill;
          if (top) {
            r += top[0];
            g += top[1];
            b += top[2];
            alpha += 1;
          }
        }
      }
      const at = (row * size + col) * 4;
      png.data[at] = alpha ? Math.round(r / alpha) : 0;
      png.data[at + 1] = alpha ? Math.round(g / alpha) : 0;
      png.data[at + 2] = alpha ? Math.round(b / alpha) : 0;
      png.data[at + 3] = Math.round((alpha / (SAMPLES * SAMPLES)) * 255);
    }
  }
  const file = path.join(WEB, `icon-${size}.png`);
  writeFileSync(file, PNG.sync.write(png, { colorType: 6 }));
  console.log(`${path.relative(process.cwd(), file)}: ${size}×${size}`);
}
