import type {SnapshotColumn, SnapshotSpec} from "./types.js";

/**
 * Snapshots of the sales and product models: forecast (+ backtest), recommendations, market basket
 * (itemsets, rules, suggestions) and anomalies. Their evaluations are rows of `model_metrics` (models
 * forecast, recommendations, basket, anomalies).
 */
const interval = {
  lower_80: {type: "DOUBLE", description: "Lower end of the 80% prediction interval (from the method's past errors at this horizon)"},
  upper_80: {type: "DOUBLE", description: "Upper end of the 80% prediction interval"}
} as const satisfies Record<string, SnapshotColumn>;

const scope = {type: "VARCHAR", description: "'All countries' or a country with at least 300 invoices"} as const satisfies SnapshotColumn;

export const SALES_MODEL_SNAPSHOTS = {
  sales_forecast: {
    layer: "model",
    grain: "one row per granularity (week, month) and period: the actual history, then the forecast periods",
    description:
      "Revenue (gross, all countries) by week and month, with partial periods flagged (not wholly covered by the data, or touched " +
      "by a shutdown such as the Christmas closing: never training or evaluation targets), then the next 4 weeks and 3 months from " +
      "the method that did best on the rolling-origin backtest (sales_forecast_backtest), with 80% and 95% intervals.",
    columns: {
      granularity: {type: "VARCHAR", description: "week (ISO, Monday start) or month"},
      period_start: {type: "DATE", description: "First day of the period"},
      period_end: {type: "DATE", description: "Last day of the period"},
      kind: {type: "VARCHAR", description: "actual (history) or forecast"},
      horizon: {type: "INTEGER", description: "Forecast rows: periods after the last complete one (1 = next); NULL for actuals"},
      revenue: {type: "DOUBLE", description: "Actual revenue; for a forecast period the data partly covers, the revenue so far; else NULL"},
      is_partial: {type: "BOOLEAN", description: "The period's revenue is not a full period's (see partial_reason)"},
      partial_reason: {
        type: "VARCHAR",
        description: "Why the period is partial: not wholly covered by the data, or a shutdown (with its dates); NULL if complete"
      },
      forecast: {type: "DOUBLE", description: "Forecast revenue of the whole period (forecast rows)"},
      ...interval,
      lower_95: {type: "DOUBLE", description: "Lower end of the 95% prediction interval"},
      upper_95: {type: "DOUBLE", description: "Upper end of the 95% prediction interval"},
      method: {type: "VARCHAR", description: "Forecast rows: the published method (best mean MAPE on the backtest; may be a baseline)"},
      note: {type: "VARCHAR", description: "Forecast rows: context such as revenue a year earlier or a shutdown a year earlier"}
    }
  },
  sales_forecast_backtest: {
    layer: "model",
    grain: "one row per granularity, method, horizon and target period of the rolling-origin backtest",
    description:
      "Every method's forecast of each of the last complete periods (8 weeks at horizons 1 and 4; 3 months at horizon 1), made from " +
      "only the complete periods up to its origin. Average abs_pct_error by method and horizon for the MAPE table (also in model_metrics).",
    columns: {
      granularity: {type: "VARCHAR", description: "week or month"},
      method: {
        type: "VARCHAR",
        description: "naive, mean_last_4_weeks / mean_last_3_months, lag_regression (the seed's), log_ridge_regression, holt_damped, combination"
      },
      role: {type: "VARCHAR", description: "published (its forecast is in sales_forecast), candidate or baseline"},
      horizon: {type: "INTEGER", description: "Periods between the origin and the target"},
      origin_start: {type: "DATE", description: "Last period the forecast could see"},
      target_start: {type: "DATE", description: "Period forecast"},
      actual: {type: "DOUBLE", description: "Actual revenue of the target period"},
      forecast: {type: "DOUBLE", description: "The method's forecast (NULL if it had too little history)"},
      abs_pct_error: {type: "DOUBLE", description: "|actual − forecast| / actual (0.12 = 12%)"},
      ...interval
    }
  },
  product_demand: {
    layer: "model",
    grain: "one row per product sold in the last 8 complete weeks",
    description:
      "Descriptive, not a forecast: each product's units and revenue in the last 4 complete weeks against the 4 before, for " +
      "'products whose demand is rising' on the Action items page. Trend: rising (≥ +25% and ≥ 20 units lately), falling (≤ −25%), new (none before), steady.",
    columns: {
      stock_code: {type: "VARCHAR", description: "Product code"},
      description: {type: "VARCHAR", description: "Its most frequent description"},
      last_week_start: {type: "DATE", description: "First day of the last complete week counted"},
      units_last_4_weeks: {type: "BIGINT", description: "Units sold in the last 4 complete weeks"},
      units_prior_4_weeks: {type: "BIGINT", description: "Units sold in the 4 weeks before those"},
      revenue_last_4_weeks: {type: "DOUBLE", description: "Revenue in the last 4 complete weeks"},
      revenue_prior_4_weeks: {type: "DOUBLE", description: "Revenue in the 4 weeks before those"},
      customers_last_4_weeks: {type: "BIGINT", description: "Distinct identified customers in the last 4 complete weeks"},
      unit_growth: {type: "DOUBLE", description: "units_last_4_weeks / units_prior_4_weeks − 1 (NULL when nothing sold before)"},
      trend: {type: "VARCHAR", description: "rising, falling, steady or new"}
    }
  },
  recommendations: {
    layer: "model",
    browser: "packed",
    // One customer's lists (the Customer page) are then a block or two of the packed copy.
    packedOrder: ["customer_id", "mode", "rank"],
    grain: "one row per customer, mode and rank (10 per customer and mode)",
    description:
      "Top 10 products per identified customer in two modes: buy_again (any product, including ones they bought) and discover " +
      "(only products they never bought). Scores blend the customer's own recency-weighted history, what sells now and implicit ALS; " +
      "evaluation (precision@10, recall@10 on the last 30 days) in model_metrics.",
    columns: {
      customer_id: {type: "INTEGER", description: "Customer number"},
      mode: {type: "VARCHAR", description: "buy_again or discover"},
      rank: {type: "INTEGER", description: "1 = best"},
      stock_code: {type: "VARCHAR", description: "Recommended product"},
      description: {type: "VARCHAR", description: "Its most frequent description"},
      score: {type: "DOUBLE", description: "Blend score (comparable within a customer and mode only)"},
      bought_before: {type: "BOOLEAN", description: "The customer has bought this product before"},
      reason: {type: "VARCHAR", description: "Why: 'bought 4 times, last on …', 'often bought with …', or 'popular now: …'"},
      related_stock_code: {type: "VARCHAR", description: "For 'often bought with' reasons: the customer's product it goes with"}
    }
  },
  recommended_products: {
    layer: "model",
    grain: "one row per list, scope and product: the 15 products most customers of the scope have in that list's top 10",
    description:
      "What the recommender says to promote: for each list (buy_again, discover) and scope (All customers, and each customer segment " +
      "of customer_segments; No segment for customers it did not place), how many customers have the product among their top 10.",
    columns: {
      mode: {type: "VARCHAR", description: "buy_again or discover"},
      segment: {type: "VARCHAR", description: "All customers, a customer segment's name, or No segment"},
      rank: {type: "INTEGER", description: "1 = recommended to the most customers of the scope (ties by stock code)"},
      stock_code: {type: "VARCHAR", description: "Recommended product"},
      description: {type: "VARCHAR", description: "Its most frequent description"},
      customers: {type: "INTEGER", description: "Customers of the scope with the product in their top 10 of the list"},
      share: {type: "DOUBLE", description: "customers / listed_customers"},
      listed_customers: {type: "INTEGER", description: "Customers of the scope with a list of this mode"}
    }
  },
  basket_itemsets: {
    layer: "model",
    grain: "one row per scope and frequent itemset",
    description: "Sets of products in at least 2% of a scope's invoices (FP-growth), with their support.",
    columns: {
      scope,
      size: {type: "INTEGER", description: "Products in the set"},
      stock_codes: {type: "VARCHAR", description: "Stock codes, comma-separated, ascending"},
      products: {type: "VARCHAR", description: "Descriptions joined with ' + '"},
      invoices: {type: "BIGINT", description: "Invoices containing every product of the set"},
      support: {type: "DOUBLE", description: "invoices / the scope's invoices"},
      lift: {
        type: "DOUBLE",
        description: "For two or more products: support / the product of their single supports (> 1: bought together more than chance); NULL for one"
      }
    }
  },
  basket_rules: {
    layer: "model",
    grain: "one row per scope and association rule",
    description: "Rules antecedent → consequent from the frequent itemsets, with confidence ≥ 0.5; sorted by lift.",
    columns: {
      scope,
      antecedent_codes: {type: "VARCHAR", description: "Stock codes of the antecedent (if the basket has these…)"},
      antecedent: {type: "VARCHAR", description: "Their descriptions"},
      consequent_codes: {type: "VARCHAR", description: "Stock codes of the consequent (…it often has these)"},
      consequent: {type: "VARCHAR", description: "Their descriptions"},
      size: {type: "INTEGER", description: "Products in antecedent and consequent together"},
      invoices: {type: "BIGINT", description: "Invoices with all of them"},
      antecedent_invoices: {type: "BIGINT", description: "Invoices with the antecedent"},
      support: {type: "DOUBLE", description: "invoices / the scope's invoices"},
      confidence: {type: "DOUBLE", description: "invoices / antecedent_invoices: P(consequent | antecedent)"},
      lift: {type: "DOUBLE", description: "confidence / the consequent's support"}
    }
  },
  basket_suggestions: {
    layer: "model",
    grain: "one row per scope, kind and rank",
    description: "What to do with the rules: the 20 most-bought bundles (itemsets with lift > 1) and the 20 most confident cross-sells per scope.",
    columns: {
      scope,
      kind: {type: "VARCHAR", description: "bundle or cross_sell"},
      rank: {type: "INTEGER", description: "1 = first (bundles by invoices, cross-sells by confidence)"},
      stock_codes: {type: "VARCHAR", description: "Products involved (a cross-sell: antecedent then consequent)"},
      products: {type: "VARCHAR", description: "Their descriptions ('A + B', or 'A → C' for a cross-sell)"},
      invoices: {type: "BIGINT", description: "Invoices with all of them"},
      support: {type: "DOUBLE", description: "invoices / the scope's invoices"},
      confidence: {type: "DOUBLE", description: "Cross-sell: the rule's confidence; bundle: invoices / invoices of its most-bought product"},
      lift: {type: "DOUBLE", description: "How many times more often than chance"},
      suggestion: {type: "VARCHAR", description: "The suggestion in plain language"}
    }
  },
  anomalies: {
    layer: "model",
    grain: "one row per sales line the robust detector flags",
    description:
      "Sales lines whose unit price is at least 10× (or at most 1/10 of) the product's median price, or whose quantity is at least 20× " +
      "what the product and the customer usually see — robustly (median/MAD scores) and plainly; with severity and a reason. Every " +
      "line of today's data is checked against baselines fitted on the data through the end of the last complete refit period; the " +
      "lines of a product first sold after it are not checked until the next refit (model_metrics: unscored_lines). The detector's " +
      "recall and precision on injected anomalies, against the seed's z-score method, are in model_metrics.",
    columns: {
      source_file: {type: "VARCHAR", description: "Input file of the line"},
      source_line: {type: "BIGINT", description: "Line in that file"},
      invoice_no: {type: "VARCHAR", description: "Invoice number"},
      invoice_date: {type: "TIMESTAMP", description: "Invoice date and time"},
      stock_code: {type: "VARCHAR", description: "Product code"},
      description: {type: "VARCHAR", description: "Product description on the line"},
      customer_id: {type: "INTEGER", description: "Customer number (NULL for guests)"},
      country: {type: "VARCHAR", description: "Customer's country"},
      quantity: {type: "INTEGER", description: "Units on the line"},
      unit_price: {type: "DOUBLE", description: "Price per unit"},
      revenue: {type: "DOUBLE", description: "quantity × unit_price"},
      returned_quantity: {type: "INTEGER", description: "Units of the line cancelled later (as in sales)"},
      net_revenue: {type: "DOUBLE", description: "Revenue minus the part of the line cancelled later (as in sales)"},
      kind: {type: "VARCHAR", description: "price, quantity, or price and quantity"},
      severity: {type: "VARCHAR", description: "Critical (≥ 50× off, or price and quantity), High (≥ 20×), Medium"},
      severity_rank: {type: "INTEGER", description: "1 Critical, 2 High, 3 Medium (for sorting)"},
      factor: {type: "DOUBLE", description: "How many times off the line is (the larger of the price and quantity factors)"},
      price_score: {type: "DOUBLE", description: "(log price − product median) / robust spread"},
      quantity_score: {type: "DOUBLE", description: "(log quantity − product median − customer habit) / robust spread"},
      typical_unit_price: {type: "DOUBLE", description: "The product's median unit price in the fit window"},
      expected_quantity: {type: "DOUBLE", description: "The quantity the product's median and the customer's habit lead one to expect"},
      zscore_flag: {type: "BOOLEAN", description: "The seed's z-score method flags it too"},
      reason: {type: "VARCHAR", description: "Plain-language reason"}
    }
  }
} as const satisfies Record<string, SnapshotSpec>;
