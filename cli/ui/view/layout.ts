// Where everything goes for a terminal size. From 100 columns up the list and the detail
// sit side by side; below that they stack. (A narrow list drops columns: EventList.)

export interface Layout {
  columns: number;
  /** Lines drawn: one less than the terminal, so Ink updates lines in place instead of clearing the screen each frame. */
  height: number;
  stacked: boolean;
  listWidth: number;
  /** Event rows in the list window (below its title line). */
  listRows: number;
  detailWidth: number;
  /** Content rows in the detail pane (below its title and tab bar). */
  detailRows: number;
}

export const HEADER_LINES = 2;
export const FOOTER_LINES = 1;
export const WIDE_FROM_COLUMNS = 100;

export function computeLayout(columns: number, rows: number): Layout {
  const cols = Math.max(40, columns);
  const height = Math.max(12, rows) - 1;
  const body = height - HEADER_LINES - FOOTER_LINES;
  if (cols >= WIDE_FROM_COLUMNS) {
    const listWidth = Math.max(50, Math.min(84, Math.floor(cols * 0.5)));
    return {
      columns: cols,
      height,
      stacked: false,
      listWidth,
      listRows: body - 1,
      detailWidth: cols - listWidth - 1,
      detailRows: body - 2,
    };
  }
  const listRows = Math.max(3, Math.floor(body * 0.4) - 1);
  return {
    columns: cols,
    height,
    stacked: true,
    listWidth: cols,
    listRows,
    detailWidth: cols,
    detailRows: body - (listRows + 1) - 2,
  };
}
