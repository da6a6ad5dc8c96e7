import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { compiled } from '../../bin/compiled.mjs';

// A checkout in a temporary folder: sources, and maybe a build, with chosen times.
function checkout(build: 'none' | 'fresh' | 'stale') {
  const root = mkdtempSync(join(tmpdir(), 'cadenza-build-'));
  const file = (path: string, secondsAgo: number) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), '');
    const at = Date.now() / 1000 - secondsAgo;
    utimesSync(join(root, path), at, at);
  };
  file('src/cli/main.ts', 100);
  file('bench/worker.ts', 100);
  if (build !== 'none') {
    file('dist/src/cli/main.js', 50);
    file('dist/.built', 50);
  }
  if (build === 'stale') file('src/app/edited.ts', 10); // edited after the build
  return root;
}

describe('bin/compiled.mjs: which code cadenza runs', () => {
  it('without a build, the sources (through tsx)', () => {
    expect(compiled('src/cli/main.ts', checkout('none'))).toBeNull();
  });

  it('a build newer than every source: its JavaScript', () => {
    const root = checkout('fresh');
    expect(compiled('src/cli/main.ts', root)).toBe(join(root, 'dist/src/cli/main.js'));
  });

  it('a source edited after the build: the sources again, with a notice', () => {
    const notice = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(compiled('src/cli/main.ts', checkout('stale'))).toBeNull();
      expect(notice).toHaveBeenCalledWith(expect.stringMatching(/older than the sources.*npm run build/));
    } finally {
      notice.mockRestore();
    }
  });
});
