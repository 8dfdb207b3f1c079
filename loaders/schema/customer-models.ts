import type {SnapshotColumn, SnapshotSpec} from "./types.js";

/**
 * Snapshots of the customer models (issue 4): RFM, k-means segmentation and churn. Their evaluations are
 * rows of `model_metrics` (models rfm, segmentation, churn). Pages: Customers & RFM reads rfm_segments,
 * rfm_segment_summary and rfm_segment_movement; Segments reads customer_segments, segment_profiles and
 * segment_silhouettes; Churn reads churn_scores, churn_curves, churn_importance and model_metrics.
 */

const customer = {
  customer_id: {type: "INTEGER", description: "Customer number"},
  country: {type: "VARCHAR", description: "Customer's country (of most of their lines)"}
} as const satisfies Record<string, SnapshotColumn>;

const rfmInputs = {
  recency_days: {type: "INTEGER", description: "Days from the last purchase day to the day after the data ends"},
  frequency: {type: "BIGINT", description: "Distinct sales invoices"},
  monetary: {type: "DOUBLE", description: "Net revenue (sales minus matched cancellations)"}
} as const satisfies Record<string, SnapshotColumn>;

const medians = {
  median_recency_days: {type: "DOUBLE", description: "Median recency_days of the group"},
  median_frequency: {type: "DOUBLE", description: "Median frequency of the group"},
  median_monetary: {type: "DOUBLE", description: "Median monetary of the group"}
} as const satisfies Record<string, SnapshotColumn>;

export const CUSTOMER_MODEL_SNAPSHOTS = {
  rfm_segments: {
    layer: "model",
    grain: "one row per identified customer with at least one sale (as customer_metrics)",
    description:
      "RFM quintile scores and named segment of every customer, as of the day after the data ends. A score is 1 + " +
      "⌊5 × share of the fitted customers with a strictly worse value⌋, at most 5 (equal values score alike; every " +
      "one-time buyer has F 1): the fitted customers are all customers as of the end of the fit window (model_metrics " +
      "fitted_through), whose breakpoints every run scores today's customers against; the segment follows the R×F " +
      "grid in models/rfm/segments.ts (rfm_segment_summary lists each rule).",
    columns: {
      ...customer,
      ...rfmInputs,
      r_score: {type: "INTEGER", description: "Recency score 1–5 (5: more recent than at least 80% of the fitted customers)"},
      f_score: {type: "INTEGER", description: "Frequency score 1–5 (5: more invoices than at least 80% of the fitted customers)"},
      m_score: {type: "INTEGER", description: "Monetary score 1–5 (5: spent more than at least 80% of the fitted customers)"},
      rfm_cell: {type: "VARCHAR", description: "The three scores as one code, e.g. '545'"},
      rfm_score: {type: "INTEGER", description: "r_score + f_score + m_score (3–15)"},
      segment: {
        type: "VARCHAR",
        description: "Named segment: Champions, Loyal, Potential loyalists, New, Promising, Need attention, About to sleep, At risk, Can't lose, Hibernating"
      }
    }
  },
  rfm_segment_summary: {
    layer: "model",
    grain: "one row per named RFM segment (all ten, also when empty)",
    description:
      "Each RFM segment: its rule, a suggested action, size, revenue and medians today, and a back-test: the same " +
      "scoring applied as of the churn cut-off (90 days before the data ends), and the share of those customers who " +
      "bought again in the 90 days after.",
    columns: {
      segment: {type: "VARCHAR", description: "Segment name"},
      rule: {type: "VARCHAR", description: "The scores that define it, e.g. 'R 5, F 4–5'"},
      action: {type: "VARCHAR", description: "What the segment is and what to do about it"},
      display_order: {type: "INTEGER", description: "Order for tables and legends (best first)"},
      customers: {type: "BIGINT", description: "Customers in the segment today"},
      customer_share: {type: "DOUBLE", description: "Share of all customers (0–1)"},
      revenue: {type: "DOUBLE", description: "Net revenue of those customers"},
      revenue_share: {type: "DOUBLE", description: "Share of all customers' net revenue (0–1)"},
      ...medians,
      backtest_customers: {type: "BIGINT", description: "Customers in the segment when scored as of the cut-off"},
      backtest_repurchase_rate: {type: "DOUBLE", description: "Share of them with a purchase from the cut-off to the end (NULL when none)"}
    }
  },
  rfm_segment_movement: {
    layer: "model",
    grain: "one row per (segment as of the cut-off, segment today) pair with customers",
    description:
      "Segment movement over the last 90 days: each customer's RFM segment as of the churn cut-off against today's. " +
      "Customers whose first purchase is after the cut-off come from '(new since cut-off)'.",
    columns: {
      from_segment: {type: "VARCHAR", description: "Segment as of the cut-off, or '(new since cut-off)'"},
      to_segment: {type: "VARCHAR", description: "Segment today"},
      customers: {type: "BIGINT", description: "Customers who made this move"},
      share_of_from: {type: "DOUBLE", description: "customers / all customers of from_segment (0–1)"},
      cutoff: {type: "DATE", description: "The date the 'from' segments are as of (first day after the history used)"}
    }
  },
  customer_segments: {
    layer: "model",
    grain: "one row per identified customer with at least one sale (as customer_metrics)",
    description:
      "k-means segment of every customer (k-means++ starts, seeded) on standardised log1p of recency, frequency and " +
      "monetary: today's customers, standardised with the scaler fitted on the customers as of the end of the fit " +
      "window and placed in the segment of the nearest fitted centroid. Segments are numbered by size in the fit and " +
      "named from their centroids (see segment_profiles).",
    columns: {
      customer_id: customer.customer_id,
      segment_id: {type: "INTEGER", description: "Segment number, 0 = largest"},
      segment: {type: "VARCHAR", description: "Segment name derived from its centroid, e.g. 'High value loyal'"},
      ...rfmInputs,
      recency_z: {type: "DOUBLE", description: "Standardised log1p(recency_days): the clustering coordinate (lower is more recent)"},
      frequency_z: {type: "DOUBLE", description: "Standardised log1p(frequency)"},
      monetary_z: {type: "DOUBLE", description: "Standardised log1p(max(monetary, 0))"},
      distance_to_centroid: {type: "DOUBLE", description: "Euclidean distance to the segment's centroid in those coordinates"}
    }
  },
  segment_profiles: {
    layer: "model",
    grain: "one row per k-means segment",
    description:
      "Each segment's size, share of revenue and medians among today's customers, with its fitted centroid, the fit's " +
      "silhouette and how its name was derived.",
    columns: {
      segment_id: {type: "INTEGER", description: "Segment number, 0 = largest"},
      segment: {type: "VARCHAR", description: "Segment name"},
      naming: {type: "VARCHAR", description: "The centroid levels the name comes from, e.g. 'recency low, frequency high, monetary high'"},
      customers: {type: "BIGINT", description: "Customers in the segment"},
      customer_share: {type: "DOUBLE", description: "Share of all customers (0–1)"},
      revenue: {type: "DOUBLE", description: "Net revenue of the segment's customers"},
      revenue_share: {type: "DOUBLE", description: "Share of all customers' net revenue (0–1)"},
      ...medians,
      centroid_recency_z: {type: "DOUBLE", description: "Centroid, standardised log recency"},
      centroid_frequency_z: {type: "DOUBLE", description: "Centroid, standardised log frequency"},
      centroid_monetary_z: {type: "DOUBLE", description: "Centroid, standardised log monetary"},
      centroid_recency_days: {type: "DOUBLE", description: "Centroid back in days (a geometric-mean-like typical value)"},
      centroid_frequency: {type: "DOUBLE", description: "Centroid back in invoices"},
      centroid_monetary: {type: "DOUBLE", description: "Centroid back in pounds"},
      silhouette: {type: "DOUBLE", description: "Mean silhouette of the segment's customers in the fit"}
    }
  },
  segment_silhouettes: {
    layer: "model",
    grain: "one row per feature set and k",
    description:
      "Why k was chosen: mean silhouette, inertia and segment balance for k = 2…8 on the fit's customers, for the " +
      "published features and for the seed's (total spend and number of invoices, unscaled), whose high silhouette " +
      "comes from one giant cluster.",
    columns: {
      features: {type: "VARCHAR", description: "log_rfm_standardised (published) or seed_spend_invoices_unscaled (the seed's)"},
      k: {type: "INTEGER", description: "Number of segments"},
      silhouette: {type: "DOUBLE", description: "Mean silhouette over all customers (−1…1, higher is better separated)"},
      inertia: {type: "DOUBLE", description: "Sum of squared distances to the centroids, in that feature space"},
      largest_share: {type: "DOUBLE", description: "Share of customers in the largest segment"},
      smallest_share: {type: "DOUBLE", description: "Share of customers in the smallest segment"},
      chosen: {type: "BOOLEAN", description: "The k and features customer_segments uses"}
    }
  },
  churn_scores: {
    layer: "model",
    grain: "one row per identified customer with at least one sale",
    description:
      "Churn risk today: the published random forest (trained on customers labelled at the cut-off) applied to features " +
      "as of the day after the data ends. churn_probability is the calibrated probability of no purchase in the next " +
      "90 days; risk levels: High ≥ 0.6, Medium ≥ 0.35, Low below.",
    columns: {
      ...customer,
      as_of: {type: "DATE", description: "Features use data strictly before this day (the day after the data ends)"},
      recency_days: {type: "INTEGER", description: "Days since the last purchase, as of as_of"},
      frequency: {type: "BIGINT", description: "Invoices before as_of"},
      monetary: {type: "DOUBLE", description: "Gross spend minus returns, before as_of"},
      churn_probability: {type: "DOUBLE", description: "Calibrated probability of no purchase in the next 90 days"},
      risk_level: {type: "VARCHAR", description: "High (≥ 0.6), Medium (≥ 0.35) or Low"},
      top_factors: {type: "VARCHAR", description: "Up to three features that raise this customer's risk most: 'label = value (+points)', '; '-separated"},
      expected_spend_90d: {
        type: "DOUBLE",
        description: "Spend at stake over 90 days if the customer stays: net spend of the last 365 days per 90 days active in it (at least 90)"
      },
      value_at_risk: {type: "DOUBLE", description: "churn_probability × expected_spend_90d"},
      value_at_risk_rank: {type: "BIGINT", description: "Rank by value_at_risk (1 = most at stake)"}
    }
  },
  churn_curves: {
    layer: "model",
    grain: "one row per point of a curve of a method, on the held-out customers",
    description:
      "ROC, precision–recall and reliability (calibration) curves of each churn method on the held-out customers. " +
      "roc: x = false-positive rate, y = true-positive rate; pr: x = recall, y = precision; calibration: x = mean " +
      "predicted probability of the bin, y = observed churn rate, cases = customers in the bin.",
    columns: {
      method: {type: "VARCHAR", description: "random_forest, logistic_regression or recency_only"},
      curve: {type: "VARCHAR", description: "roc, pr or calibration"},
      point: {type: "INTEGER", description: "Order of the point along the curve"},
      threshold: {type: "DOUBLE", description: "Score threshold of the point (roc, pr), or the bin's lower bound (calibration)"},
      x: {type: "DOUBLE", description: "See the description"},
      y: {type: "DOUBLE", description: "See the description"},
      cases: {type: "BIGINT", description: "Customers in the calibration bin (NULL for roc and pr)"}
    }
  },
  churn_importance: {
    layer: "model",
    grain: "one row per churn feature",
    description: "What the churn forest relies on: impurity importance on the training customers and the mean absolute contribution on the held-out customers.",
    columns: {
      feature: {type: "VARCHAR", description: "Feature name (as in the churn feature SQL)"},
      label: {type: "VARCHAR", description: "What the feature means"},
      impurity_importance: {type: "DOUBLE", description: "Mean decrease in Gini impurity, normalised to sum to 1 (training customers)"},
      heldout_contribution: {type: "DOUBLE", description: "Mean |change in probability| the feature makes for held-out customers (tree-path contributions)"},
      importance_rank: {type: "INTEGER", description: "Rank by heldout_contribution (1 = most important)"}
    }
  }
} as const satisfies Record<string, SnapshotSpec>;
