/**
 * Decoding PNG/JPEG bytes into uint8 HWC pixels of a fixed size and channel
 * count. The decoder is kept as plain JavaScript source (DECODE_SOURCE) so
 * the very same code runs on the main thread and inside worker threads (see
 * image-folder-workers.ts), with no build step for a worker file and no
 * risk that a TS transform rewrites the function's text.
 */
import { createRequire } from 'node:module';
import { FileReadError, MAX_IMAGE_FILE_BYTES, checkImagePixels, imageSize, readFileBounded } from '../../compiler/shared/bounded-read.js';
import { DataError } from './errors.js';

/**
 * `decodeInto(buf, out, offset, h, w, c, allowResize, jpeg, PNG)`: decodes
 * one PNG or JPEG (sniffed from its first bytes), converts it to `c` channels
 * (1 = ITU-R 601 luma as PIL computes it, 3 = RGB; alpha is dropped), and
 * writes h×w×c bytes at `out[offset]`, resizing bilinearly (half-pixel
 * centres) when the size differs and allowResize is true. Throws an Error
 * with a short reason when the bytes cannot be decoded.
 */
export const DECODE_SOURCE = String.raw`
function decodeInto(buf, out, offset, h, w, c, allowResize, jpeg, PNG) {
  var width, height, rgb;
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) {
    var img;
    try { img = jpeg.decode(buf, { useTArray: true, formatAsRGBA: false, tolerantDecoding: true, maxMemoryUsageInMB: 1024, maxResolutionInMP: 64 }); }
    catch (e) { throw new Error('undecodable JPEG (' + (e && e.message ? e.message : e) + ')'); }
    width = img.width; height = img.height; rgb = img.data;
  } else if (buf.length >= 8 && buf[0] === 0x89 && buf[1] === 0x50 && buf[2] === 0x4e && buf[3] === 0x47) {
    // Pixel budget from the IHDR header before decoding: a 250 KB PNG can declare gigabytes of pixels.
    if (buf.length >= 24) {
      var dw = ((buf[16] << 24) | (buf[17] << 16) | (buf[18] << 8) | buf[19]) >>> 0, dh = ((buf[20] << 24) | (buf[21] << 16) | (buf[22] << 8) | buf[23]) >>> 0;
      if (dw * dh > 67108864) throw new Error('PNG header declares ' + dw + 'x' + dh + ' pixels, more than the limit of 67108864');
    }
    var png;
    try { png = PNG.sync.read(Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength)); }
    catch (e) { throw new Error('undecodable PNG (' + (e && e.message ? e.message : e) + ')'); }
    width = png.width; height = png.height;
    var rgba = png.data, n = width * height;
    rgb = new Uint8Array(n * 3);
    for (var p = 0; p < n; p++) { rgb[3 * p] = rgba[4 * p]; rgb[3 * p + 1] = rgba[4 * p + 1]; rgb[3 * p + 2] = rgba[4 * p + 2]; }
  } else {
    throw new Error('not a PNG or JPEG file (unrecognised leading bytes)');
  }
  if (!(width > 0 && height > 0)) throw new Error('image has no pixels');
  var src = rgb;
  if (c === 1) {
    var m = width * height;
    src = new Uint8Array(m);
    for (var q = 0; q < m; q++) src[q] = (rgb[3 * q] * 19595 + rgb[3 * q + 1] * 38470 + rgb[3 * q + 2] * 7471 + 0x8000) >>> 16;
  }
  if (width === w && height === h) { out.set(src, offset); return; }
  if (!allowResize) throw new Error('image is ' + width + 'x' + height + ', others are ' + w + 'x' + h + ' (set data.image_size to resize)');
  var sy = height / h, sx = width / w;
  for (var y = 0; y < h; y++) {
    var fy = (y + 0.5) * sy - 0.5; if (fy < 0) fy = 0;
    var y0 = Math.floor(fy); if (y0 > height - 1) y0 = height - 1;
    var y1 = y0 + 1 < height ? y0 + 1 : height - 1, dy = fy - y0;
    for (var x = 0; x < w; x++) {
      var fx = (x + 0.5) * sx - 0.5; if (fx < 0) fx = 0;
      var x0 = Math.floor(fx); if (x0 > width - 1) x0 = width - 1;
      var x1 = x0 + 1 < width ? x0 + 1 : width - 1, dx = fx - x0;
      for (var k = 0; k < c; k++) {
        var a = src[(y0 * width + x0) * c + k], b = src[(y0 * width + x1) * c + k];
        var d = src[(y1 * width + x0) * c + k], e2 = src[(y1 * width + x1) * c + k];
        var top = a + (b - a) * dx, bot = d + (e2 - d) * dx;
        out[offset + (y * w + x) * c + k] = Math.round(top + (bot - top) * dy);
      }
    }
  }
}
`;

/** Signature of the decoder compiled from DECODE_SOURCE. */
export type DecodeInto = (
  buf: Uint8Array, out: Uint8Array, offset: number, h: number, w: number, c: number, allowResize: boolean,
  jpeg: unknown, png: unknown,
) => void;

const require = createRequire(import.meta.url);

/** Absolute paths of the decoder libraries, for workers to require. */
export function decoderLibPaths(): { jpegPath: string; pngPath: string } {
  return { jpegPath: require.resolve('jpeg-js'), pngPath: require.resolve('pngjs') };
}

let compiled: ((buf: Uint8Array, out: Uint8Array, offset: number, h: number, w: number, c: number, allowResize: boolean) => void) | undefined;

/** The decoder bound to jpeg-js and pngjs, for use on this thread. */
export function localDecoder(): NonNullable<typeof compiled> {
  if (!compiled) {
    const fn = new Function(`${DECODE_SOURCE}\nreturn decodeInto;`)() as DecodeInto;
    const jpeg = require('jpeg-js');
    const png = require('pngjs').PNG;
    compiled = (buf, out, offset, h, w, c, allowResize) => fn(buf, out, offset, h, w, c, allowResize, jpeg, png);
  }
  return compiled;
}

/** Width and height of a PNG or JPEG from its header bytes (decodes a JPEG fully; fine for one file). */
export function imageDimensions(buf: Uint8Array, file: string): { width: number; height: number } {
  if (buf.length >= 24 && buf[0] === 0x89 && buf[1] === 0x50) {
    const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    return { width: v.getUint32(16), height: v.getUint32(20) };
  }
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8) {
    // The SOF header has the size: no need to decode the whole image (or to trust its size) for it.
    const header = imageSize(buf);
    if (header) return { width: header.width, height: header.height };
    try {
      const img = require('jpeg-js').decode(buf, { useTArray: true, formatAsRGBA: false, maxResolutionInMP: 64 });
      return { width: img.width, height: img.height };
    } catch (e) {
      throw new DataError(`undecodable JPEG (${(e as Error).message})`, file);
    }
  }
  throw new DataError('not a PNG or JPEG file (unrecognised leading bytes)', file);
}

/**
 * Decodes one image file to uint8 HWC of `size` [h, w] (its own size when
 * omitted) and `channels` — what `dlc predict` needs for a user's image.
 */
export function decodeImageFile(
  file: string,
  opts: { size?: readonly [number, number]; channels: 1 | 3 },
): { pixels: Uint8Array; shape: [number, number, number] } {
  let buf: Buffer;
  try {
    buf = readFileBounded(file, { limit: MAX_IMAGE_FILE_BYTES, what: 'image' });
    checkImagePixels(buf, file);
  } catch (e) {
    throw new DataError(e instanceof FileReadError ? e.reason : `cannot read file (${(e as NodeJS.ErrnoException).code ?? String(e)})`, file);
  }
  const [h, w] = opts.size ?? (() => { const d = imageDimensions(buf, file); return [d.height, d.width] as const; })();
  const pixels = new Uint8Array(h * w * opts.channels);
  try {
    localDecoder()(buf, pixels, 0, h, w, opts.channels, true);
  } catch (e) {
    throw new DataError((e as Error).message, file);
  }
  return { pixels, shape: [h, w, opts.channels] };
}
