/**
 * "Did you mean" for typed names (commands, flags, columns, hosts...): candidates close to what
 * was typed by edit distance (optimal string alignment, so a swapped pair of letters counts
 * once), or containing it / contained in it. Computed locally over the names known.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1
  const cols = b.length + 1
  const d: number[][] = Array.from({length: rows}, (_, i) =>
    Array.from({length: cols}, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  )
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1)
    }
  }

  return d[a.length][b.length]
}

/**
 * The candidates most like `typed`, best first (at most `limit`): within an edit distance of
 * about a third of the length, or sharing a substring of at least 3 characters with it as a
 * whole (`kvm-host-1` → `kvm-host-01`, `host-0` → every `kvm-host-0N`).
 */
export function suggest(typed: string, candidates: Iterable<string>, limit = 5): string[] {
  const needle = typed.toLowerCase()
  const threshold = Math.max(1, Math.floor(needle.length / 3))
  const scored: Array<{distance: number; name: string}> = []
  for (const name of new Set(candidates)) {
    const hay = name.toLowerCase()
    if (hay === needle) continue
    const distance = editDistance(needle, hay)
    const contains = needle.length >= 3 && (hay.includes(needle) || (hay.length >= 3 && needle.includes(hay)))
    if (distance <= threshold || contains) scored.push({distance, name})
  }

  return scored
    .sort((a, b) => a.distance - b.distance || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, limit)
    .map((s) => s.name)
}
