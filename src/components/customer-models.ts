/**
 * The customer model pages' components (Customers & RFM, Segments, Churn, Customer lookup), re-exported
 * by the prelude: pages import them from `./components/prelude.js` like everything else.
 */
export {customerHref, customerLink, parseCustomerId, unknownCustomerMessage, LOOKUP_PATH} from "./customer-id.js";
export {findMetric, metricValue, metricsTable, roleLabel, ROLE_LABELS, type MetricRow} from "./model-metrics.js";
export {churnEvaluation, churnVerdict, formatAuc, CHURN_METHODS, CHURN_METHOD_LABELS, CHURN_ROC_AUC_BAR} from "./churn-evaluation.js";
export {atRiskRows, filterAtRisk, atRiskQuery, AT_RISK_COLUMNS, CHURN_SCORE_COLUMNS, RISK_LEVELS, type AtRiskFilters, type AtRiskRow} from "./at-risk.js";
export {RISK_THRESHOLDS, riskLevelOf, riskLevelRule, riskLevelsText, riskBadge, type RiskLevel} from "./risk-levels.js";
export {riskSummary, probabilityBins, valueAtRiskBySegment, type RiskLevelSummary, type ProbabilityBin, type SegmentRisk} from "./churn-summary.js";
export {notFitted, notFittedReason, fitNotice, fitStatement, MODEL_NAMES, type FittedModel} from "./not-fitted.js";
export {urlList, getListParam, setListParam} from "./url-list.js";
export {recordTable, type RecordColumn} from "./record-table.js";
export {rfmGrid} from "./charts/rfm-grid.js";
export {treemap} from "./charts/treemap.js";
export {transitionMatrix} from "./charts/transition-matrix.js";
export {segmentScatter} from "./charts/segment-scatter.js";
export {silhouetteByK} from "./charts/silhouette-by-k.js";
export {rocCurves, reliabilityChart, precisionRecallCurves} from "./charts/churn-curves.js";
export {confusionMatrix} from "./charts/confusion-matrix.js";
export {riskDistribution} from "./charts/risk-distribution.js";
export {valueAtRiskBySegmentChart} from "./charts/value-at-risk-by-segment.js";
export {featureImportance} from "./charts/feature-importance.js";
export {parseTopFactors, formatChange, type ChurnFactor} from "./churn-factors.js";
export {customerIdInput} from "./lookup-input.js";
export {customerProfile, type CustomerRecord} from "./customer-profile.js";
