/** Front matter headimg/thumbnail go through the same unwrap-and-route rules as body images. */
import { describe, expect, it } from 'vitest';
import { rewriteImageUrl, type RewriteOptions } from '../../../src/rewrite/rewrite-html';
import { options, route } from './helpers';

describe('rewriteImageUrl', () => {
  it.each<[string, string | null | undefined, string | null, Partial<RewriteOptions>?]>([
    ['proxied http image is routed', 'https://cors.zfour.workers.dev/?http://zkres1.myzaker.com/a_1024.jpg', route('http://zkres1.myzaker.com/a_1024.jpg')],
    ['proxied image with a CDN suffix', "https://cors.zfour.workers.dev/?http://img.jandan.net/news/a.jpg!custom", route('http://img.jandan.net/news/a.jpg!custom')],
    ['percent-encoded proxied image', 'https://cors.zfour.workers.dev/?https%3A%2F%2Fa.com%2Fb.png', route('https://a.com/b.png')],
    ['surrounding whitespace', '  https://cors.zfour.workers.dev/?http://a.com/b.png\n', route('http://a.com/b.png')],
    ['never-proxied picsum placeholder is routed', 'https://picsum.photos/400/300?random=1', route('https://picsum.photos/400/300?random=1')],
    ['never-proxied image keeps its URL when routeAllImages is off', 'https://picsum.photos/400/300', 'https://picsum.photos/400/300', { routeAllImages: false }],
    ['proxied image is routed even when routeAllImages is off', 'https://cors.zfour.workers.dev/?http://a.com/b.png', route('http://a.com/b.png'), { routeAllImages: false }],
    ['already routed path is kept', route('http://a.com/b.png'), route('http://a.com/b.png')],
    ['proxied loopback target: no image', 'https://cors.zfour.workers.dev/?http://127.0.0.1/a.png', null],
    ['proxied javascript: target: no image', 'https://cors.zfour.workers.dev/?javascript:alert(1)', null],
    ['javascript: URL: no image', 'javascript:alert(1)', null],
    ['data: URL: no image (front matter needs a fetchable URL)', 'data:image/png;base64,AAAA', null],
    ['relative path: no image', '/uploads/a.png', null],
    ['empty: no image', '', null],
    ['null: no image', null, null],
    ['undefined: no image', undefined, null],
  ])('%s', (_name, raw, expected, overrides) => {
    expect(rewriteImageUrl(raw, options(overrides))).toBe(expected);
  });
});
