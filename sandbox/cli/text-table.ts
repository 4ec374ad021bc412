/** A cell: one text, or a list that wraps at ", " onto more lines within the column's width. */
export type Cell = string | readonly string[];

/**
 * Lays out rows in columns that never run into each other: a column is as wide as its widest line (a
 * list wraps at `wrap` characters, never splitting an item), and columns are two spaces apart.
 */
export function textTable(
  header: readonly string[],
  rows: readonly (readonly Cell[])[],
  wrap = 48,
): string[] {
  const lines = (cell: Cell): string[] => {
    if (typeof cell === 'string') return [cell];
    const out: string[] = [];
    for (const [i, item] of cell.entries()) {
      const text = i < cell.length - 1 ? `${item},` : item;
      const last = out.at(-1);
      if (last !== undefined && last.length + 1 + text.length <= wrap)
        out[out.length - 1] = `${last} ${text}`;
      else out.push(text);
    }
    return out.length > 0 ? out : [''];
  };
  const laid = rows.map((row) => row.map(lines));
  const widths = header.map((h, c) =>
    Math.max(h.length, ...laid.flatMap((row) => row[c]!.map((l) => l.length))),
  );
  const render = (cells: readonly string[]) =>
    cells
      .map((text, c) => (c === cells.length - 1 ? text : text.padEnd(widths[c]! + 2)))
      .join('')
      .trimEnd();
  const out = [render(header)];
  for (const row of laid) {
    const height = Math.max(...row.map((l) => l.length));
    for (let i = 0; i < height; i++) out.push(render(row.map((l) => l[i] ?? '')));
  }
  return out;
}
