/**
 * The components of the sales and product model pages (Forecast, Recommendations, Market basket,
 * Anomalies, Action items), re-exported by the prelude. See src/components/README.md.
 */
export {statCards, type Stat} from "./stat-cards.js";
export {bindUrlParam, type UrlParamOptions} from "./url-param.js";
export {rowsToArrow, snapshotColumns, type TypedColumn} from "./rows-to-arrow.js";
export {findMetrics, modelMetrics} from "./model-metrics.js";
export {backtestScores, forecastVerdict, methodLabel, forecastRows, actualRows, formatPoints, BASELINE_METHODS, TIE_MARGIN} from "./forecast.js";
export {forecastChart} from "./charts/forecast-chart.js";
export {pastForecasts, type PastForecast} from "./forecast-history.js";
export {pastForecastsChart} from "./charts/past-forecasts.js";
export {backtestTable} from "./backtest-table.js";
export {forecastPeriodsTable, partialPeriodsTable} from "./forecast-periods.js";
export {
  recommenderScores,
  recommenderVerdict,
  recommendationTable,
  recommenderTable,
  MODES,
  MODE_LABELS,
  PRECISION_BARS,
  type Mode,
  type RecommendationRow
} from "./recommendations.js";
export {recommendedProducts, ALL_CUSTOMERS, type RecommendedProduct} from "./recommended-products.js";
export {recommendedProductsChart} from "./charts/recommended-products.js";
export {
  ALL_COUNTRIES,
  basketScopes,
  filterRules,
  compareRules,
  scopeInvoices,
  parseThreshold,
  type RuleRow,
  type ItemsetRow,
  type RuleFilter
} from "./basket.js";
export {suggestionList, type SuggestionRow} from "./basket-suggestions.js";
export {ruleScatter} from "./charts/rule-scatter.js";
export {
  SEVERITIES,
  KINDS,
  ANOMALY_ORDERS,
  isAnomalyOrder,
  sortAnomalies,
  parseList,
  formatList,
  withStake,
  atStake,
  type AnomalyRow,
  type AnomalyOrder,
  type Severity
} from "./anomalies.js";
export {anomaliesOverTime} from "./charts/anomalies-over-time.js";
export {severityChart} from "./charts/severity-chart.js";
export {ACTION_RULES, quantile, atRiskCustomers, bundlesToPromote, risingProducts, anomaliesToReview, campaignSql, campaignTotals} from "./action-items.js";
export {actionCard, actionUnavailable, type ActionCardOptions, type PreviewColumn} from "./action-card.js";
export {actionValueChart, type ActionValue} from "./charts/action-values.js";
