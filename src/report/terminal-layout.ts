/**
 * Fitting the terminal summary to a width: prose lines wrap at spaces with a hanging indent, and a comparison table
 * too wide for the terminal is split into column groups that each fit, every group repeating the metric names. A
 * terminal soft-wraps an over-long line into the next, which shreds a table's columns; splitting keeps every figure
 * under its header.
 */

/** The lines of one table: a metric label and one cell per column; headings are bolded by the caller's `bold`. */
export interface TextRow {
  readonly label: string;
  readonly cells: readonly string[];
  readonly heading: boolean;
}

/** Space between two columns. */
const GAP = 2;

/** Where the text of a line starts after its indent and list marker (`  ✓ `, `⚠ `, `! `): continuation lines align there. */
function hangingIndent(line: string): number {
  const match = /^( *)([!⚠✓✗•-] )?/.exec(line);
  return (match?.[1]?.length ?? 0) + (match?.[2]?.length ?? 0);
}

/**
 * `line` wrapped at spaces to at most `width` columns, continuation lines indented under its text, `hang` columns
 * further for items of a list. The first line keeps its own spacing (aligned threshold columns); a word longer than
 * the room left is cut.
 */
export function wrapLine(line: string, width: number, hang = 0): string[] {
  if (line.length <= width) return [line];
  const indent = ' '.repeat(Math.min(hangingIndent(line) + hang, Math.floor(width / 2)));
  const out: string[] = [];
  let rest = line;
  let prefix = '';
  while (prefix.length + rest.length > width) {
    const room = width - prefix.length;
    // The last space that leaves a non-empty line; failing that, cut the word.
    const space = rest.lastIndexOf(' ', room);
    const cut = space > rest.search(/\S/) ? space : room;
    out.push(`${prefix}${rest.slice(0, cut)}`.trimEnd());
    rest = rest.slice(cut).trimStart();
    prefix = indent;
  }
  if (rest.length > 0) out.push(`${prefix}${rest}`);
  return out;
}

/** A header split into lines of at most `width` at spaces, a separator `·` kept with the word before it. */
function headerLines(header: string, width: number): string[] {
  const words = header.split(' ').reduce<string[]>((acc, word) => {
    if (word === '·' && acc.length > 0) acc[acc.length - 1] = `${acc[acc.length - 1] ?? ''} ·`;
    else acc.push(word);
    return acc;
  }, []);
  const lines: string[] = [];
  for (const word of words) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines.length === 0 ? [''] : lines;
}

/** Each column's width: its widest cell, or its header's widest word when that is wider. */
export function columnWidths(headers: readonly string[], rows: readonly TextRow[]): number[] {
  return headers.map((header, i) =>
    Math.max(...header.split(' ').map((word) => word.length), ...rows.map((row) => (row.cells[i] ?? '').length)),
  );
}

/** The width of the label column. */
export function labelWidth(rows: readonly TextRow[], title: string): number {
  return Math.max(title.length, ...rows.map((row) => row.label.length));
}

/** The width of a table of the label column and the given columns. */
export function groupWidth(label: number, widths: readonly number[], group: readonly number[]): number {
  return group.reduce((sum, i) => sum + GAP + (widths[i] ?? 0), label);
}

/**
 * Column indices in groups that each fit in `width` beside the label column, as evenly sized as the fewest groups
 * allow (3 + 2, not 4 + 1). A column wider than the room alone still gets a group of its own.
 */
export function columnGroups(label: number, widths: readonly number[], width: number): number[][] {
  const fits = (group: readonly number[]): boolean => groupWidth(label, widths, group) <= width;
  const greedy: number[][] = [];
  for (let i = 0; i < widths.length; i++) {
    const last = greedy.at(-1);
    if (last !== undefined && fits([...last, i])) last.push(i);
    else greedy.push([i]);
  }
  const size = Math.ceil(widths.length / Math.max(1, greedy.length));
  const even: number[][] = [];
  for (let i = 0; i < widths.length; i += size) even.push(widths.map((_, j) => j).slice(i, i + size));
  return even.length === greedy.length && even.every(fits) ? even : greedy;
}

/**
 * One column group as lines: the header (several lines when a header wraps, bottom-aligned), a rule, the rows. Cells
 * are right-aligned, labels left-aligned; `bold` styles heading rows.
 */
export function renderGroup(
  title: string,
  headers: readonly string[],
  rows: readonly TextRow[],
  group: readonly number[],
  bold: (text: string) => string,
): string[] {
  const widths = columnWidths(headers, rows);
  const label = labelWidth(rows, title);
  const heads = group.map((i) => headerLines(headers[i] ?? '', widths[i] ?? 0));
  const height = Math.max(...heads.map((lines) => lines.length));
  const lines: string[] = [];
  for (let line = 0; line < height; line++) {
    const cells = group.map((i, g) => {
      const lines = heads[g] ?? [];
      return (lines[line - (height - lines.length)] ?? '').padStart(widths[i] ?? 0);
    });
    lines.push([(line === height - 1 ? title : '').padEnd(label), ...cells].join(' '.repeat(GAP)).trimEnd());
  }
  lines.push(['-'.repeat(label), ...group.map((i) => '-'.repeat(widths[i] ?? 0))].join(' '.repeat(GAP)));
  for (const row of rows) {
    const text = [row.label.padEnd(label), ...group.map((i) => (row.cells[i] ?? '').padStart(widths[i] ?? 0))].join(' '.repeat(GAP));
    lines.push(row.heading ? bold(text.trimEnd()) : text);
  }
  return lines;
}
