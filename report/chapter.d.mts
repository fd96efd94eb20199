// Types of report/chapter.mjs, for the test that runs it.
export interface SummaryRow {
  section: string;
  metric: string;
  wasmeans: number | string;
  sklearn: number | string;
  seconds: number;
  sklearnSeconds: number | undefined;
}
export const defaultOutput: string;
export function writeReport(
  output?: string,
  options?: { onStep?: (done: number, total: number, next: string) => void },
): Promise<{ path: string; summary: SummaryRow[]; seconds: number }>;
