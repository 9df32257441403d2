/** Rows of one height for a view that draws only those in view (LineView). */
export interface LineSource {
  readonly rowCount: number;
  /** Characters in the widest row: the width to scroll to. */
  readonly widest: number;
  /** The text of row `index`; called only for the rows in view. */
  row(index: number): string;
  /** True when row `index` continues the line above (a cut, not a line break). */
  continued?(index: number): boolean;
}
