import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scrubDetails, scrubPaths } from './scrub-paths.js';

describe('scrubPaths', () => {
  it('replaces file paths, keeps API routes, URLs and ordinary words', () => {
    expect(scrubPaths('Model file /srv/wardclerk/models/llama.gguf not found')).toBe('Model file [path] not found');
    expect(scrubPaths("ENOENT: no such file or directory, open './models/x.gguf'")).toBe("ENOENT: no such file or directory, open '[path]'");
    expect(scrubPaths('C:\\models\\x.gguf missing')).toBe('[path] missing');
    expect(scrubPaths('cannot read ~/data/master.key or file:///etc/passwd')).toBe('cannot read [path] or [path]');
    expect(scrubPaths('see /api/v1/jobs/123')).toBe('see /api/v1/jobs/123');
    expect(scrubPaths('1/2 tab and/or https://example.org/a/b')).toBe('1/2 tab and/or https://example.org/a/b');
  });

  it('no absolute path survives in any message (property)', () => {
    const seg = fc.stringMatching(/^[a-z0-9._-]{1,8}$/).filter((s) => s !== 'api');
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.array(seg, { minLength: 2, maxLength: 5 }), fc.string({ maxLength: 20 }), (pre, segs, post) => {
        const path = `/${segs.join('/')}`;
        const out = scrubPaths(`${pre} ${path} ${post}`);
        expect(out).not.toContain(`${path} `);
      }),
      { numRuns: 300 },
    );
  });

  it('scrubs nested details', () => {
    expect(scrubDetails({ a: ['/opt/x/y.bin'], b: { c: 'at /home/u/f.txt' }, n: 3 })).toEqual({ a: ['[path]'], b: { c: 'at [path]' }, n: 3 });
  });
});
