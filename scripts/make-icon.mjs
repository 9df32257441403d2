// Draws build/icon.png, the app icon electron-builder turns into each platform's
// format: a tree of topics inside a scope ring. Plain Node (zlib) so that no image
// tool is needed; run `node scripts/make-icon.mjs` after changing the drawing.
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 1024;
const SAMPLES = 3; // per axis, for anti-aliased edges

const distToSegment = (px, py, ax, ay, bx, by) => {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
};

// Coordinates in a 0..1 square.
const nodes = [[0.5, 0.32], [0.34, 0.6], [0.66, 0.6], [0.24, 0.75], [0.44, 0.75]];
const edges = [[0, 1], [0, 2], [1, 3], [1, 4]];

function colour(x, y) {
  // Rounded square background with a vertical gradient.
  const r = 0.2, m = 0.04;
  const qx = Math.max(Math.abs(x - 0.5) - (0.5 - m - r), 0), qy = Math.max(Math.abs(y - 0.5) - (0.5 - m - r), 0);
  if (Math.hypot(qx, qy) > r) return null;
  const t = y;
  let c = [15 + 10 * t, 40 + 60 * t, 60 + 50 * t];
  const ring = Math.abs(Math.hypot(x - 0.5, y - 0.54) - 0.34);
  if (ring < 0.025) c = [94, 234, 212];
  for (const [a, b] of edges) {
    const [ax, ay] = nodes[a], [bx, by] = nodes[b];
    if (distToSegment(x, y, ax, ay, bx, by) < 0.014) c = [226, 232, 240];
  }
  for (const [i, [nx, ny]] of nodes.entries()) if (Math.hypot(x - nx, y - ny) < (i === 0 ? 0.06 : 0.045)) c = i === 0 ? [250, 204, 21] : [255, 255, 255];
  return c;
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) {
  raw[y * (SIZE * 4 + 1)] = 0; // filter: none
  for (let x = 0; x < SIZE; x++) {
    let rr = 0, gg = 0, bb = 0, aa = 0;
    for (let sy = 0; sy < SAMPLES; sy++) for (let sx = 0; sx < SAMPLES; sx++) {
      const c = colour((x + (sx + 0.5) / SAMPLES) / SIZE, (y + (sy + 0.5) / SAMPLES) / SIZE);
      if (c) { rr += c[0]; gg += c[1]; bb += c[2]; aa++; }
    }
    const o = y * (SIZE * 4 + 1) + 1 + x * 4;
    const n = SAMPLES * SAMPLES;
    if (aa) { raw[o] = rr / aa; raw[o + 1] = gg / aa; raw[o + 2] = bb / aa; }
    raw[o + 3] = Math.round((255 * aa) / n);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0); header.writeUInt32BE(SIZE, 4);
header[8] = 8; header[9] = 6; // 8-bit RGBA
const png = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
mkdirSync('build', { recursive: true });
writeFileSync('build/icon.png', png);
console.log(`build/icon.png: ${SIZE}x${SIZE}, ${png.length} bytes`);
