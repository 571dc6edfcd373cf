import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRejected, joinInside, parseRequestPath, type SafePath } from '../../src/core/safe-path.js';

function ok(path: string): SafePath {
  const p = parseRequestPath(path);
  if (isRejected(p)) throw new Error(`rejected ${path}: ${p.rejected}`);
  return p;
}

describe('parseRequestPath', () => {
  it.each([
    ['/805ec0d57d72.cfg', ['805ec0d57d72.cfg']],
    ['805ec0d57d72.cfg', ['805ec0d57d72.cfg']],
    ['//T46U//./y000000000000.boot', ['T46U', 'y000000000000.boot']],
    ['/Folder Path/cfgc074ad656e2c.xml', ['Folder Path', 'cfgc074ad656e2c.xml']],
    ['/%2e%2e/literal', ['%2e%2e', 'literal']],
    ['/', []],
  ])('splits %j', (input, segments) => {
    expect(ok(input).segments).toEqual(segments);
  });

  it.each([
    ['/../etc/passwd', 'traversal'],
    ['/T46U/../../etc/passwd', 'traversal'],
    ['..', 'traversal'],
    ['/a/..', 'traversal'],
    ['/etc/passwd\0.cfg', 'nul_byte'],
    ['/a\nb', 'control_character'],
    ['/..\\..\\windows\\win.ini', 'backslash'],
    ['/' + 'a'.repeat(2000), 'too_long'],
    ['/' + 'a'.repeat(300) + '/b', 'too_long'],
  ])('rejects %j as %s', (input, reason) => {
    const p = parseRequestPath(input);
    expect(isRejected(p) ? p.rejected : 'accepted').toBe(reason);
  });

  it('gives basename and folder', () => {
    const p = ok('/T46U/sub/805ec0d57d72.boot');
    expect(p.basename).toBe('805ec0d57d72.boot');
    expect(p.folder).toEqual(['T46U', 'sub']);
    expect(p.joined).toBe('T46U/sub/805ec0d57d72.boot');
  });
});

describe('joinInside', () => {
  it('stays inside the root, also against a sibling-prefix root', () => {
    const base = mkdtempSync(join(tmpdir(), 'provd-safe-'));
    const root = join(base, 'root');
    expect(joinInside(root, ok('/fw/x.rom'))).toBe(join(root, 'fw', 'x.rom'));
    expect(joinInside(root, ok('/'))).toBe(root);
    // A segment that looks like the sibling 'root2' is still a child of root.
    expect(joinInside(root, ok('/root2/x'))).toBe(join(root, 'root2', 'x'));
  });
});
