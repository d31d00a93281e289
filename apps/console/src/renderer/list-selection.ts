/**
 * ↑ / ↓ through a list on screen (the search station's line, the exit-check list): the key
 * `delta` places from `selected`, counting from the first when `selected` is no longer listed,
 * stopping at either end; null for an empty list.
 */
export function stepThrough(keys: readonly string[], selected: string | null, delta: 1 | -1): string | null {
  if (keys.length === 0) return null;
  const at = Math.max(0, selected === null ? 0 : keys.indexOf(selected));
  return keys[Math.min(keys.length - 1, Math.max(0, at + delta))] ?? null;
}
