/**
 * What every page imports:
 *
 *   import {sql, Plot, Inputs, html} from "./components/prelude.js";
 *
 * `sql` makes ```sql cells query the snapshots with DuckDB-WASM; Plot, Inputs, html and svg come from
 * node_modules; the rest are the shared components (see src/components/README.md). The model pages' own
 * components come from `./components/models.js`, so the dashboard pages do not download them.
 *
 * Not d3: Plot's bundle holds the part of d3 it uses, and all of d3 is another 283 kB to load on every
 * page. A page that wants it writes `import * as d3 from "d3"` (from node_modules) or uses Framework's
 * implicit `d3` (served offline).
 */
export {sql, query, attachSnapshots, preload, database, snapshotNames} from "./db.js";
export * as Plot from "./vendor/plot.js";
export * as Inputs from "./inputs.js";
export {default as aq} from "./arquero.js";
export {html, svg} from "htl";
export {loadColumns, loadTable} from "./snapshot.js";
export {filterBar, DATE_PRESETS, FILTER_PAGES, activePreset, describeRange, type FilterBar} from "./filters.js";
export {countryPicker, describeCountries, chip} from "./country-picker.js";
export {filterTable, withDay, previousFilters, salesWhere} from "./sales-filter.js";
export {
  parseFilters,
  filtersToSearch,
  previousPeriod,
  defaultComparison,
  revenueColumn,
  getParam,
  setParam,
  NO_FILTERS,
  type Filters,
  type Measure
} from "./url-state.js";
export {salesKpis, kpiCards, stepOf, KPI_LABELS} from "./kpis.js";
export {kpiCard, kpiRow, sparkline, type KpiCardSpec} from "./kpi-card.js";
export {statCards, type Stat} from "./stat-cards.js";
export {leaderboard, leaders, sumBy, sumColumns, type Leader} from "./leaderboard.js";
export {customerCountsQuery, customerCounts, customerLeadersQuery, customerLeaders, type CustomerLeaders} from "./customer-totals.js";
export {ordersSource, weekdayHourQuery} from "./orders-source.js";
export {productDaily} from "./product-sources.js";
export {comparisonPeriods} from "./kpis.js";
export {bindUrlParam} from "./url-param.js";
export {onPopState} from "./popstate.js";
export {dataTable, badge, searchRows, sortRows, type DataColumn, type DataTableOptions} from "./data-table.js";
export {virtualTable} from "./virtual-table.js";
export {downloadButtons, csvBlob, parquetBlob, saveBlob} from "./downloads.js";
export {toCsv, escapeCsvCell} from "./csv.js";
export {arrowColumnValues, arrowRows, formatCell} from "./arrow-values.js";
export {figure} from "./charts/figure.js";
export {revenueTrend} from "./charts/revenue-trend.js";
export {rankedBars, type BarScale} from "./charts/ranked-bars.js";
export {revenueByYearMonth} from "./charts/year-month.js";
export {heatmap} from "./charts/heatmap.js";
export {whenReady, idle, paced} from "./loading.js";
export {revenueByDay, revenueByCountry, revenueByMonth, dataExtent} from "./period.js";
export {stageGraph, stageGraphChart} from "./stage-graph.js";
export {arrowToObjects} from "./inputs.js";
export * from "./format.js";
