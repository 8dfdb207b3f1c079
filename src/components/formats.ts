/** Number formats shared by the model pages (en-GB, pounds sterling). */

const pounds0 = new Intl.NumberFormat("en-GB", {style: "currency", currency: "GBP", maximumFractionDigits: 0});
const pounds2 = new Intl.NumberFormat("en-GB", {style: "currency", currency: "GBP", minimumFractionDigits: 2, maximumFractionDigits: 2});
const integer = new Intl.NumberFormat("en-GB", {maximumFractionDigits: 0});
const decimal = new Intl.NumberFormat("en-GB", {maximumFractionDigits: 2});

const missing = (value: unknown): value is null | undefined => value === null || value === undefined || Number.isNaN(value);

/** £1,234 (whole pounds). */
export const formatPounds = (value: number | null | undefined): string => (missing(value) ? "–" : pounds0.format(value));
/** £1,234.56. */
export const formatPence = (value: number | null | undefined): string => (missing(value) ? "–" : pounds2.format(value));
/** 1,234. */
export const formatCount = (value: number | null | undefined): string => (missing(value) ? "–" : integer.format(value));
/** 1,234.5 (up to two decimals). */
export const formatNumber = (value: number | null | undefined): string => (missing(value) ? "–" : decimal.format(value));
/** 0.123 → 12.3% (`digits` decimals). */
export const formatPercent = (value: number | null | undefined, digits = 1): string => (missing(value) ? "–" : `${(100 * value).toFixed(digits)}%`);
/** A 0–1 metric such as a ROC-AUC, to 3 decimals. */
export const formatMetric = (value: number | null | undefined): string => (missing(value) ? "–" : value.toFixed(3));
