import { parseCsvRecords } from '../../common/csv.js';
import type { KpiReportInput } from '../generated/graphql.js';

/**
 * A month's KPI figures from a CSV file, as the API's inputs. This only reads the file (columns,
 * numbers): every rule about the figures is the API's (submitKpiReports), which names each bad row
 * by its index; `lines` turns that index back into the file's line number.
 *
 *   kpiCode,value,solutionId,version
 *   AVAILABILITY_CORE_HOURS,99.82,,
 *   P1_RESOLVED_4H,96.5,,2
 */
export const KPI_CSV_COLUMNS = ['kpiCode', 'value', 'solutionId', 'version'] as const;
type Column = (typeof KPI_CSV_COLUMNS)[number];
const REQUIRED: Column[] = ['kpiCode', 'value'];
/** Header names are matched ignoring case, spaces, hyphens and underscores. */
const ALIASES: Record<string, Column> = { kpicode: 'kpiCode', kpi: 'kpiCode', code: 'kpiCode', value: 'value', figure: 'value', solutionid: 'solutionId', solution: 'solutionId', version: 'version' };

export interface CsvProblem {
  line: number;
  message: string;
}

export interface KpiCsv {
  /** The rows that could be read, in file order. */
  inputs: KpiReportInput[];
  /** The line each input came from: lines[i] for inputs[i]. */
  lines: number[];
  /** What could not be read, by line. */
  problems: CsvProblem[];
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function parseKpiCsv(text: string, period: string): KpiCsv {
  const records = parseCsvRecords(text);
  const out: KpiCsv = { inputs: [], lines: [], problems: [] };
  const [header, ...rows] = records;
  if (!header) {
    out.problems.push({ line: 1, message: `The file is empty: it needs a header line (${KPI_CSV_COLUMNS.join(',')}) and a line for each KPI` });
    return out;
  }
  const columns: (Column | undefined)[] = header.cells.map((name) => ALIASES[name.trim().toLowerCase().replace(/[\s_-]/g, '')]);
  header.cells.forEach((name, i) => {
    if (!columns[i]) out.problems.push({ line: header.line, message: `Column “${name.trim()}” is not one of ${KPI_CSV_COLUMNS.join(', ')}` });
  });
  for (const column of REQUIRED) {
    if (!columns.includes(column)) out.problems.push({ line: header.line, message: `The header has no ${column} column` });
  }
  if (out.problems.length) return out;
  if (rows.length === 0) out.problems.push({ line: header.line + 1, message: 'The file has no figures: add a line for each KPI under the header' });

  for (const { line, cells } of rows) {
    if (cells.length > header.cells.length) {
      out.problems.push({ line, message: `The line has ${cells.length} values but the header names ${header.cells.length} columns` });
      continue;
    }
    const cell = (column: Column) => {
      const i = columns.indexOf(column);
      return i < 0 ? '' : (cells[i] ?? '').trim();
    };
    const problems: string[] = [];
    const value = cell('value');
    if (!NUMBER.test(value)) problems.push(value === '' ? 'Enter the figure in the value column' : `The value “${value}” is not a number (for example 99.5)`);
    const version = cell('version');
    if (version !== '' && !/^\d{1,9}$/.test(version)) problems.push(`The version “${version}” is not a whole number`);
    if (problems.length) {
      for (const message of problems) out.problems.push({ line, message });
      continue;
    }
    out.inputs.push({
      kpiCode: cell('kpiCode'),
      period,
      value: Number(value),
      ...(cell('solutionId') ? { solutionId: cell('solutionId') } : {}),
      ...(version ? { version: Number(version) } : {}),
    });
    out.lines.push(line);
  }
  return out;
}

/** An API field `reports.<index>.<field>` as the line of the file it came from; undefined for any other field. */
export function lineOfField(field: string, lines: number[]): { line: number; column: string } | undefined {
  const m = /^reports\.(\d+)(?:\.(\w+))?$/.exec(field);
  if (!m || lines[Number(m[1])] === undefined) return undefined;
  return { line: lines[Number(m[1])], column: m[2] ?? '' };
}
