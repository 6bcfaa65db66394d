/** Alt text: URLs and file names are never alt text. */
import { describe, expect, it } from 'vitest';
import { captionAlt, isUrlOrFileName, usableAlt } from '../../../src/rewrite/alt-text';
import { PROXY, route } from './helpers';

describe('isUrlOrFileName', () => {
  it.each<[string, string | null, boolean]>([
    ['https://img.example.com/a.png', null, true],
    ['//img.example.com/a.png', null, true],
    ['www.example.com', null, true],
    [`${PROXY}http://a.com/b.png`, null, true],
    ['IMG_1234.JPG', null, true],
    ['photo.webp!custom', null, true],
    ['uploads/2021/a.pdf', null, true],
    ['6e2c7129eefdb1f648ee2e7fadabf737-picture', null, true],
    ['IMG_1234', 'http://a.com/IMG_1234.JPG', true],
    ['img_1234.jpg', 'http://a.com/IMG_1234.JPG', true],
    ['vm1', route('http://static.codeceo.com/images/2020/06/vm1.png'), true],
    ['实例中心', 'http://a.com/%E5%AE%9E%E4%BE%8B%E4%B8%AD%E5%BF%83.png', true],
    ['A chart of sales', 'http://a.com/chart.png', false],
    ['Figure: engine', null, false],
    ['Node.js', null, false],
    ['图 1 进程和操作系统的中间层', 'http://a.com/vm1.png', false],
    ['logo', 'http://a.com/brand.png', false],
  ])('%j (src %j) → %s', (text, src, expected) => {
    expect(isUrlOrFileName(text, src, [PROXY])).toBe(expected);
  });
});

describe('usableAlt and captionAlt', () => {
  it('keeps meaningful text as written, refuses blank text and file names', () => {
    expect(usableAlt(' A cat ', 'http://a.com/x.png', [PROXY])).toBe(' A cat ');
    expect(usableAlt('  \u00a0 ', null, [PROXY])).toBeNull();
    expect(usableAlt(undefined, null, [PROXY])).toBeNull();
    expect(usableAlt('x.png', 'http://a.com/x.png', [PROXY])).toBeNull();
  });

  it('collapses a caption and refuses one that is a file name', () => {
    expect(captionAlt('  The new\n engine ', [PROXY])).toBe('The new engine');
    expect(captionAlt('screenshot.png', [PROXY])).toBeNull();
    expect(captionAlt(' \n ', [PROXY])).toBeNull();
  });
});
