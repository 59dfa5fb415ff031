/**
 * The Python versions with a built-in image, and where each comes from: Debian's suite for the
 * offline build (each suite has its own python3 and python3-* packages), the official image for
 * the Dockerfile build. The one table both builds, the config and the docs read.
 */
export interface PythonRecipe {
  /** What users type and see: "3.13". */
  version: string;
  /** The Debian suite whose python3 is this version. */
  suite: string;
  /** The official image the Dockerfile build starts from (pip installs the packages on it). */
  base: string;
}

export const PYTHON_RECIPES: readonly PythonRecipe[] = [
  { version: '3.11', suite: 'bookworm', base: 'python:3.11-slim-bookworm' },
  { version: '3.13', suite: 'trixie', base: 'python:3.13-slim-trixie' },
  { version: '3.14', suite: 'forky', base: 'python:3.14-slim-trixie' },
];

/** What SANDBOX_PYTHONS offers when unset: Debian stable's Python first, as the default. */
export const DEFAULT_PYTHONS: readonly string[] = ['3.13', '3.14', '3.11'];
/** The version runs use unless asked for another. */
export const DEFAULT_PYTHON: string = DEFAULT_PYTHONS[0]!;

export function pythonRecipe(version: string): PythonRecipe | undefined {
  return PYTHON_RECIPES.find((recipe) => recipe.version === version);
}

/** "3.11, 3.13 and 3.14" (or "… or 3.14"): for messages that list versions. */
export function listVersions(versions: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  if (versions.length <= 1) return versions.join('');
  return `${versions.slice(0, -1).join(', ')} ${conjunction} ${versions.at(-1)}`;
}

/** A Python the sandbox offers: its version, and the image that runs it. */
export interface PythonImage {
  /** "3.13"; null for a custom SANDBOX_IMAGE whose version wasn't named (SANDBOX_PYTHONS). */
  version: string | null;
  image: string;
}

/** The versions a run can ask for, the default first: those of the Pythons offered that are named. */
export function choosableVersions(offered: readonly PythonImage[]): string[] {
  return offered.flatMap(({ version }) => (version === null ? [] : [version]));
}

/** Why `version` can't be run, given what is offered (the first is the default), or null when it can. */
export function refusePython(version: string, offered: readonly PythonImage[]): string | null {
  if (offered.some((python) => python.version === version)) return null;
  const named = choosableVersions(offered);
  if (!named.length) return `Python ${version} isn't offered here: only one Python is, and it can't be chosen`;
  return `Python ${version} isn't offered here: choose ${listVersions(named, 'or')} (${named[0]} is the default)`;
}
