/**
 * Values the pipeline (models/, loaders/) and the pages (src/components/) share, defined once here.
 * Framework serves only files under src/, so the pages cannot import models/; the models import this
 * file instead. Plain constants: no DOM, no imports.
 */

/** The basket scope of all invoices (the others are single countries). */
export const ALL_COUNTRIES = "All countries";

/** The churn model's quality bar: ROC-AUC on customers it did not learn from. */
export const CHURN_ROC_AUC_BAR = 0.75;

/**
 * Risk levels of a churn probability (the calibrated probability of no purchase in the next 90 days):
 * High from 0.6, Medium from 0.35, Low below. About 4 in 10 customers active before the cut-off
 * churned, so Medium starts a little under that base rate and High well above it.
 */
export const RISK_THRESHOLDS = {high: 0.6, medium: 0.35} as const;

/** Most urgent first. */
export const RISK_LEVELS = ["High", "Medium", "Low"] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** Anomaly severities, most severe first (severity_rank 1, 2, 3). */
export const SEVERITIES = ["Critical", "High", "Medium"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The recommended-products scope of every customer (the others are customer segments). */
export const ALL_CUSTOMERS = "All customers";

/** The recommended-products scope of customers the segmentation did not place. */
export const NO_SEGMENT = "No segment";
