/** Levenshtein distance, ignoring case. */
export function editDistance(a: string, b: string): number {
  const [s, t] = [a.toLowerCase(), b.toLowerCase()];
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    for (let j = 1; j <= t.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (s[i - 1] === t[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[t.length] ?? 0;
}

/** The known name close enough to `name` to be what was meant, if any. */
export function didYouMean(name: string, known: readonly string[]): string | undefined {
  const limit = name.length <= 3 ? 1 : Math.max(2, Math.floor(name.length / 4));
  return known
    .map((candidate) => ({ candidate, d: editDistance(name, candidate) }))
    .filter(({ d }) => d <= limit)
    .sort((x, y) => x.d - y.d)[0]?.candidate;
}
