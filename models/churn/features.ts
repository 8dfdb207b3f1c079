/**
 * The churn model's features, in the order the model sees them. Every one is computed (in SQL, by the
 * churn stage) only from sales and returns dated strictly before the "as of" day, so the same definitions
 * serve training (as of the cut-off) and scoring (as of the day after the data ends).
 */
export const CHURN_FEATURES = [
  {name: "recency_days", label: "Days since last purchase", logForLinear: true},
  {name: "frequency", label: "Orders", logForLinear: true},
  {name: "monetary", label: "Net spend (£)", logForLinear: true},
  {name: "tenure_days", label: "Days since first purchase", logForLinear: true},
  {name: "avg_basket", label: "Average order value (£)", logForLinear: true},
  {name: "avg_item_price", label: "Average price per unit (£)", logForLinear: true},
  {name: "avg_gap_days", label: "Average days between purchase days", logForLinear: true},
  {name: "overdue_ratio", label: "Days since last purchase ÷ average gap", logForLinear: true},
  {name: "order_rate", label: "Orders per 30 days of tenure", logForLinear: true},
  {name: "orders_0_30d", label: "Orders 0–30 days before", logForLinear: true},
  {name: "orders_30_60d", label: "Orders 30–60 days before", logForLinear: true},
  {name: "orders_60_90d", label: "Orders 60–90 days before", logForLinear: true},
  {name: "orders_90_120d", label: "Orders 90–120 days before", logForLinear: true},
  {name: "orders_120_150d", label: "Orders 120–150 days before", logForLinear: true},
  {name: "orders_150_180d", label: "Orders 150–180 days before", logForLinear: true},
  {name: "orders_180_210d", label: "Orders 180–210 days before", logForLinear: true},
  {name: "orders_210_240d", label: "Orders 210–240 days before", logForLinear: true},
  {name: "orders_240_270d", label: "Orders 240–270 days before", logForLinear: true},
  {name: "spend_trend", label: "Spend trend, last 90 days vs the 90 before (−1…1)", logForLinear: false},
  {name: "distinct_products", label: "Distinct products bought", logForLinear: true},
  {name: "returns_share", label: "Returns ÷ gross spend", logForLinear: false},
  {name: "is_uk", label: "Customer in the United Kingdom (1/0)", logForLinear: false}
] as const;

export type ChurnFeatureName = (typeof CHURN_FEATURES)[number]["name"];

export const CHURN_FEATURE_NAMES: ChurnFeatureName[] = CHURN_FEATURES.map((feature) => feature.name);

/** The feature the recency-only baseline ranks by. */
export const BASELINE_FEATURE: ChurnFeatureName = "recency_days";
