import { describe, expect, it } from 'vitest';
import type { AppError } from '../errors.js';
import { checkPhotos, MAX_NOTE_PHOTO_BYTES, sniffImage } from './notes.js';

const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]);
const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]);
const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic'), Buffer.alloc(8)]);

describe('note photos', () => {
  it('knows an image by its first bytes, whatever name or type it was sent with', () => {
    expect(sniffImage(png)).toBe('image/png');
    expect(sniffImage(jpeg)).toBe('image/jpeg');
    expect(sniffImage(webp)).toBe('image/webp');
    expect(sniffImage(heic)).toBe('image/heic');
    expect(sniffImage(Buffer.from('<svg onload="alert(1)"/>'))).toBeNull();
    expect(sniffImage(Buffer.from('%PDF-1.7'))).toBeNull();
  });

  it('stores the type the bytes show and a harmless file name', () => {
    const [p] = checkPhotos([{ contentType: 'image/jpeg', filename: 'a/../b".png', bytes: png }]);
    expect(p).toMatchObject({ contentType: 'image/png', filename: 'a_.._b_.png' });
  });

  it('refuses what is not an image, an empty file, too large a file and a sixth photo', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as AppError).code;
      }
      return null;
    };
    expect(code(() => checkPhotos([{ contentType: 'image/png', bytes: Buffer.from('<html>') }]))).toBe('validation');
    expect(code(() => checkPhotos([{ contentType: 'image/png', bytes: Buffer.alloc(0) }]))).toBe('validation');
    const big = Buffer.concat([png, Buffer.alloc(MAX_NOTE_PHOTO_BYTES)]);
    expect(code(() => checkPhotos([{ contentType: 'image/png', bytes: big }]))).toBe('payload_too_large');
    expect(code(() => checkPhotos(Array.from({ length: 6 }, () => ({ contentType: 'image/png', bytes: png }))))).toBe('validation');
  });
});
