import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtInPackages, curatedPackages, parsePackages } from '../../sandbox/image/packages.js';

describe('parsePackages', () => {
  it('takes the three columns, in order, skipping comments and blank lines', () => {
    const text = '# The packages.\n# Columns: PyPI, Debian, module.\nnumpy   python3-numpy  numpy\n\n  \nscikit-learn\tpython3-sklearn\tsklearn\r\n';
    expect(parsePackages(text)).toEqual([
      { name: 'numpy', debian: 'python3-numpy', module: 'numpy' },
      { name: 'scikit-learn', debian: 'python3-sklearn', module: 'sklearn' },
    ]);
  });

  it('nothing listed', () => {
    expect(parsePackages('# only comments\n\n')).toEqual([]);
  });

  it('a line without its three columns is refused, and named', () => {
    expect(() => parsePackages('numpy python3-numpy\n')).toThrow('packages.txt: "numpy python3-numpy" should be three columns');
    expect(() => parsePackages('numpy python3-numpy numpy extra\n')).toThrow(/should be three columns/);
  });
});

describe("the image recipe's packages.txt", () => {
  const packages = curatedPackages();

  it('has PyPI names, Debian python3-* packages and module names, each listed once', () => {
    expect(packages.length).toBeGreaterThan(0);
    for (const { name, debian, module } of packages) {
      expect(name).toMatch(/^[a-z0-9][a-z0-9.-]*$/);
      expect(debian).toMatch(/^python3-[a-z0-9][a-z0-9.-]*$/);
      expect(module).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
    }
    expect(new Set(packages.map((found) => found.name)).size).toBe(packages.length);
    expect(builtInPackages()).toEqual(packages.map((found) => found.name));
  });

  it('is the list the README gives users, in the same order', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const listed = /<!-- packages -->\n([^<]*)<!-- \/packages -->/.exec(readme)?.[1];
    expect(listed, 'README.md needs the package list between <!-- packages --> and <!-- /packages -->').toBeDefined();
    expect([...listed!.matchAll(/`([^`]+)`/g)].map((match) => match[1])).toEqual(builtInPackages());
  });
});
