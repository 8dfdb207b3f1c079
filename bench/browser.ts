import {measureSite} from "./site-performance.js";

/** The browser part of `npm run bench`: the site's speed budgets (see site-performance.ts). */
export async function benchBrowser(runs: number): Promise<{rows: [string, string, string][]; results: unknown}> {
  const measured = await measureSite({visits: Math.max(runs, 3), changes: 50});
  const {summary, visits} = measured;
  const range = (values: number[]) => `${Math.round(Math.min(...values))}–${Math.round(Math.max(...values))} ms (${values.length} first visits)`;
  return {
    rows: [
      ["Overview first chart after navigation", `${summary.overviewFirstChartMs} ms`, range(visits.map((visit) => visit.firstChartMs))],
      ["DuckDB-WASM ready", `${summary.duckdbReadyMs} ms`, range(visits.map((visit) => visit.duckdbReadyMs))],
      ["`sales` queryable in DuckDB-WASM", `${summary.salesQueryableMs} ms`, range(visits.map((visit) => visit.salesQueryableMs))],
      ["filter change p50 / p95", `${summary.filterChangeP50Ms} ms`, `p95 ${summary.filterChangeP95Ms} ms over ${summary.filterChanges} random changes`]
    ],
    results: measured
  };
}
