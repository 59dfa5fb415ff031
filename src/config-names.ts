/**
 * Spots environment variables that look meant for Sandpiper but name none of its settings: without
 * this, `SANDBOX_TIMEOUT=1` would be ignored without a word and every run would get the default.
 *
 * A near miss under one of Sandpiper's own prefixes is an error: the operator meant a setting, and
 * running on the default instead could loosen a limit. LOG_ is shared with too many other programs
 * (their log format, their log directory…) to refuse to start over it, and a name close to no
 * setting is as likely another program's (a Slack webhook's URL): those only get a warning.
 */

const OWN_PREFIXES = ['SANDBOX_', 'DISCORD_', 'SLACK_', 'LIMIT_', 'MONITORING_'];
const SHARED_PREFIXES = ['LOG_'];
/**
 * Edits (insert, delete, substitute, swap two neighbours) a name may be off by and still match:
 * one per three characters after the prefix, at most two, so a two-letter name after SANDBOX_
 * is not taken for SANDBOX_PIDS.
 */
const maxEdits = (name: string) => Math.min(2, Math.floor(name.slice(name.indexOf('_') + 1).length / 3));

export interface StrayVariables {
  errors: string[];
  warnings: string[];
}

export function strayVariables(names: Iterable<string>, settings: readonly string[]): StrayVariables {
  const stray: StrayVariables = { errors: [], warnings: [] };
  for (const name of names) {
    if (settings.includes(name)) continue;
    const upper = name.toUpperCase(); // sandbox_pids is a typo too
    const own = OWN_PREFIXES.some((prefix) => upper.startsWith(prefix));
    if (!own && !SHARED_PREFIXES.some((prefix) => upper.startsWith(prefix))) continue;
    const matches = closest(upper, settings);
    const guess = matches.length ? `did you mean ${matches.join(' or ')}?` : '';
    if (own && guess) stray.errors.push(`${name} is not a Sandpiper setting: ${guess}`);
    else if (guess) stray.warnings.push(`${name} is not a Sandpiper setting (ignored): ${guess}`);
    else stray.warnings.push(`${name} is not a Sandpiper setting (ignored); .env.example lists them all`);
  }
  return stray;
}

/**
 * The settings `name` is most likely a misspelling of: within maxEdits, or the name without its
 * unit (SANDBOX_MEMORY for SANDBOX_MEMORY_MB). Several when they are equally close.
 */
function closest(name: string, settings: readonly string[]): string[] {
  let best: string[] = [];
  let bestDistance = maxEdits(name) + 1;
  for (const setting of settings) {
    const distance = setting.startsWith(`${name}_`) ? 1 : editDistance(name, setting);
    if (distance < bestDistance) [best, bestDistance] = [[setting], distance];
    else if (distance === bestDistance) best.push(setting);
  }
  return best;
}

/** Optimal string alignment distance: Levenshtein plus transposition of adjacent characters. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i]!;
    const above = rows[i - 1]!;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(above[j]! + 1, row[j - 1]! + 1, above[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j]!, rows[i - 2]![j - 2]! + 1);
      }
    }
  }
  return rows[a.length]![b.length]!;
}
