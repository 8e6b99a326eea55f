/** A goal from the issue and whether this run met it. */
export interface GoalCheck {
  goal: string;
  measured: string;
  met: boolean;
}

export interface Table {
  caption: string;
  header: string[];
  rows: string[][];
}

/** One benchmark's outcome: tables for people, `data` (medians, spreads, ratios) for the JSON file. */
export interface BenchSection {
  id: string;
  title: string;
  method: string;
  tables: Table[];
  goals: GoalCheck[];
  data: Record<string, unknown>;
}

/** Formats a number for a table: thousands separated, `digits` decimals. */
export function fmt(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return String(value);
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function renderTable(table: Table): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [`*${table.caption}*`, '', line(table.header), line(table.header.map(() => '---')), ...table.rows.map(line)].join('\n');
}

export function renderSection(section: BenchSection): string {
  const goals = section.goals.map((g) => `- ${g.met ? 'met' : '**not met**'}: ${g.goal} (measured: ${g.measured})`);
  return [`## ${section.title}`, '', section.method, '', ...section.tables.flatMap((t) => [renderTable(t), '']), '**Goals**', '', ...goals, ''].join('\n');
}
