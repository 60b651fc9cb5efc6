/** JSON lines as dlc writes them (metrics.jsonl, steps.jsonl); no dependencies, so the report reads them too. */

/** Parses JSON lines, dropping blank lines and a line cut short by a kill (its epoch is re-run). */
export function parseJsonl<T>(text: string | undefined): T[] {
  if (!text) return [];
  return text.split('\n').flatMap((l) => {
    try {
      return l.trim() ? [JSON.parse(l) as T] : [];
    } catch {
      return [];
    }
  });
}
