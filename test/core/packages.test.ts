import { describe, expect, it } from 'vitest';
import { builtInPackages, packageNames } from '../../sandbox/image/packages.js';

describe('packageNames', () => {
  it('takes the first column, in order, skipping comments and blank lines', () => {
    const text = '# The packages.\n# Column 1: PyPI.\nnumpy   python3-numpy\n\n  \nsympy\tpython3-sympy\r\nscikit-learn python3-sklearn\n';
    expect(packageNames(text)).toEqual(['numpy', 'sympy', 'scikit-learn']);
  });

  it('a name alone on its line', () => {
    expect(packageNames('attrs\n')).toEqual(['attrs']);
  });

  it('nothing listed', () => {
    expect(packageNames('# only comments\n\n')).toEqual([]);
  });
});

describe('builtInPackages', () => {
  it("reads the image recipe's packages.txt: PyPI names, not its Debian column", () => {
    const names = builtInPackages();
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      expect(name).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);
      expect(name).not.toMatch(/^python3-/);
    }
  });
});
