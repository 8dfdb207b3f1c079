import type {SnapshotColumn, SnapshotSpec} from "./types.js";

/** Snapshots of the ingestion, cleaning, marts and meta layers. */
const lineage = {
  source_file: {type: "VARCHAR", description: "Input file, relative to the raw folder"},
  source_line: {type: "BIGINT", description: "Line of the input file the record starts on (the header is line 1)"}
} as const satisfies Record<string, SnapshotColumn>;

const lineFields = {
  invoice_no: {type: "VARCHAR", description: "Invoice number; a leading C marks a cancellation"},
  invoice_date: {type: "TIMESTAMP", description: "Invoice date and time"},
  stock_code: {type: "VARCHAR", description: "Product code, upper-cased (the data spells some codes in both cases)"},
  description: {type: "VARCHAR", description: "Product description as written on the line"},
  quantity: {type: "INTEGER", description: "Units on the line"},
  unit_price: {type: "DOUBLE", description: "Price per unit"},
  customer_id: {type: "INTEGER", description: "Customer number; NULL for guest checkouts (about a quarter of lines)"},
  country: {type: "VARCHAR", description: "Customer's country"}
} as const satisfies Record<string, SnapshotColumn>;

const periodMeasures = {
  orders: {type: "BIGINT", description: "Distinct sales invoices"},
  customers: {type: "BIGINT", description: "Distinct identified customers within this row (not additive across rows)"},
  units: {type: "BIGINT", description: "Units sold"},
  revenue: {type: "DOUBLE", description: "Gross revenue of the sold lines"},
  net_revenue: {type: "DOUBLE", description: "Revenue minus the part of these sales later cancelled (matched returns)"},
  returns_value: {type: "DOUBLE", description: "Value of product cancellations dated in this row (cash-flow view)"}
} as const satisfies Record<string, SnapshotColumn>;

/** Additive measures of a product's sold lines (every one of them can be summed across rows). */
const productMeasures = {
  lines: {type: "BIGINT", description: "Sold lines"},
  units: periodMeasures.units,
  returned_units: {type: "BIGINT", description: "Units of these lines later cancelled"},
  revenue: {type: "DOUBLE", description: "Gross revenue of the sold lines"},
  net_revenue: {type: "DOUBLE", description: "Revenue minus the part of these lines later cancelled"}
} as const satisfies Record<string, SnapshotColumn>;

export const CORE_SNAPSHOTS = {
  raw_lines: {
    layer: "raw",
    browser: "packed",
    grain: "one row per parsed input record",
    description: "Every input record that could be typed, as read, with its lineage. Stock codes are as written.",
    columns: {
      ...lineage,
      invoice_no: lineFields.invoice_no,
      stock_code: {type: "VARCHAR", description: "Stock code exactly as written (trimmed)"},
      description: lineFields.description,
      quantity: lineFields.quantity,
      invoice_date: lineFields.invoice_date,
      unit_price: lineFields.unit_price,
      customer_id: lineFields.customer_id,
      country: lineFields.country
    }
  },
  quarantine: {
    layer: "quarantine",
    browser: "packed",
    grain: "one row per input record that could not be parsed",
    description: "Records kept out of raw_lines, with where they are and why. Nothing is dropped silently.",
    columns: {
      ...lineage,
      problem: {type: "VARCHAR", description: "encoding, quoting, structure or value"},
      reason: {type: "VARCHAR", description: "What is wrong, naming the column and value"},
      raw_text: {type: "VARCHAR", description: "The record's text (re-joined fields for value problems)"}
    }
  },
  input_files: {
    layer: "raw",
    grain: "one row per input file",
    description: "Every file found under the raw folder, with its content hash and what became of its records.",
    columns: {
      path: {type: "VARCHAR", description: "File path relative to the raw folder"},
      sha256: {type: "VARCHAR", description: "SHA-256 of the file's bytes"},
      bytes: {type: "BIGINT", description: "File size"},
      compressed: {type: "BOOLEAN", description: "Whether the file is gzip-compressed"},
      variant: {type: "VARCHAR", description: "Header variant: online-retail, online-retail-ii or custom"},
      records: {type: "BIGINT", description: "Records after the header (blank lines excluded)"},
      rows: {type: "BIGINT", description: "Records parsed into raw_lines"},
      quarantined: {type: "BIGINT", description: "Records sent to quarantine"},
      blank_lines: {type: "BIGINT", description: "Blank lines skipped"},
      ignored_columns: {type: "VARCHAR", description: "Header columns that map to no field, comma-separated"},
      duplicate_of: {type: "VARCHAR", description: "Earlier path with identical content (then this file is not ingested again)"},
      status: {
        type: "VARCHAR",
        description:
          "ingested (its records are in raw_lines or quarantine), duplicate (see duplicate_of), or rejected: a bad file skipped " +
          "under badFiles: skip (unreadable, or more than maxQuarantineShare of its records quarantined); none of its records are in any snapshot"
      },
      reason: {type: "VARCHAR", description: "Why a rejected file was rejected (NULL otherwise)"}
    }
  },
  sales: {
    layer: "clean",
    browser: "packed",
    grain: "one row per sold line item",
    description:
      "Lines that are sales: not cancellations, quantity > 0, price > 0, product codes only, exact duplicates removed. " +
      "Cancellations are matched to the purchases they cancel (same customer and product, latest earlier purchase first).",
    columns: {
      ...lineage,
      ...lineFields,
      revenue: {type: "DOUBLE", description: "quantity × unit_price"},
      returned_quantity: {type: "INTEGER", description: "Units of this line later cancelled (matched returns)"},
      net_quantity: {type: "INTEGER", description: "quantity − returned_quantity"},
      net_revenue: {type: "DOUBLE", description: "net_quantity × unit_price"}
    }
  },
  returns: {
    layer: "clean",
    browser: "packed",
    grain: "one row per cancellation line",
    description: "Cancellation lines (invoice numbers starting with C), exact duplicates removed, with how much of each was matched to a purchase.",
    columns: {
      ...lineage,
      ...lineFields,
      quantity: {type: "INTEGER", description: "Units cancelled (positive)"},
      value: {type: "DOUBLE", description: "quantity × unit_price"},
      is_product: {type: "BOOLEAN", description: "False for fees, postage, discounts and manual adjustments"},
      matched_quantity: {type: "INTEGER", description: "Units matched to earlier purchases of the same customer and product"},
      unmatched_quantity: {type: "INTEGER", description: "Units with no earlier purchase in the data (bought before it starts, or no customer id)"}
    }
  },
  excluded_lines: {
    layer: "clean",
    browser: "packed",
    grain: "one row per parsed line that is neither a sale nor a return",
    description: "Lines left out of sales and returns, each with its reason.",
    columns: {
      ...lineage,
      ...lineFields,
      reason: {type: "VARCHAR", description: "duplicate, non_product, zero_price, negative_price, non_positive_quantity or positive_cancellation"},
      detail: {type: "VARCHAR", description: "Plain-language explanation, e.g. which line this one duplicates"}
    }
  },
  orders: {
    layer: "mart",
    browser: "packed",
    grain: "one row per sales invoice",
    description: "Invoices with at least one sold line: what distinct customers are counted from under any filter.",
    columns: {
      invoice_no: lineFields.invoice_no,
      invoice_date: lineFields.invoice_date,
      customer_id: lineFields.customer_id,
      country: lineFields.country,
      lines: {type: "BIGINT", description: "Sold lines"},
      units: {type: "BIGINT", description: "Units sold"},
      revenue: {type: "DOUBLE", description: "Gross revenue"},
      returned_units: {type: "BIGINT", description: "Units later cancelled"},
      net_revenue: {type: "DOUBLE", description: "Revenue minus later cancellations"}
    }
  },
  daily_sales: {
    layer: "mart",
    grain: "one row per day and country with sales",
    description: "Daily sales by country. The last day of the data is flagged partial (the extract may end mid-day).",
    columns: {
      date: {type: "DATE", description: "Invoice day (an invoice counts on the day of its first line)"},
      country: lineFields.country,
      ...periodMeasures,
      lines: {type: "BIGINT", description: "Sold lines"},
      is_partial: {type: "BOOLEAN", description: "The day is the last one in the data and may be incomplete"}
    }
  },
  weekly_sales: {
    layer: "mart",
    grain: "one row per ISO week (Monday start) and country with sales",
    description: "Weekly sales by country; weeks not wholly inside the data's date range are flagged partial.",
    columns: {
      week_start: {type: "DATE", description: "Monday of the week"},
      country: lineFields.country,
      ...periodMeasures,
      days_covered: {type: "INTEGER", description: "Days of the week inside the data's range (the last day counts as partial)"},
      is_partial: {type: "BOOLEAN", description: "The week is not wholly covered by the data"}
    }
  },
  monthly_sales: {
    layer: "mart",
    grain: "one row per month and country with sales",
    description: "Monthly sales by country; months not wholly inside the data's date range are flagged partial.",
    columns: {
      month: {type: "DATE", description: "First day of the month"},
      country: lineFields.country,
      ...periodMeasures,
      days_covered: {type: "INTEGER", description: "Days of the month inside the data's range"},
      days_in_month: {type: "INTEGER", description: "Days in the calendar month"},
      is_partial: {type: "BOOLEAN", description: "The month is not wholly covered by the data"}
    }
  },
  monthly_product_sales: {
    layer: "mart",
    browser: "packed",
    grain: "one row per month, country and product with sales",
    description:
      "Sales of each product by calendar month and country (each line in the month of its own invoice date): the months a date range wholly covers are summed from here, the days of its partial first and last months from sales.",
    columns: {
      month: {type: "DATE", description: "First day of the month"},
      country: lineFields.country,
      stock_code: lineFields.stock_code,
      ...productMeasures
    }
  },
  country_sales: {
    layer: "mart",
    grain: "one row per country",
    description: "Sales totals by country.",
    columns: {
      country: lineFields.country,
      orders: periodMeasures.orders,
      customers: {type: "BIGINT", description: "Distinct identified customers"},
      lines: {type: "BIGINT", description: "Sold lines"},
      units: periodMeasures.units,
      revenue: periodMeasures.revenue,
      net_revenue: periodMeasures.net_revenue,
      returns_value: {type: "DOUBLE", description: "Value of product cancellations"},
      avg_order_value: {type: "DOUBLE", description: "revenue / orders"},
      revenue_share: {type: "DOUBLE", description: "Share of all revenue (0–1)"},
      first_order: {type: "TIMESTAMP", description: "First sale"},
      last_order: {type: "TIMESTAMP", description: "Last sale"}
    }
  },
  product_performance: {
    layer: "mart",
    grain: "one row per product (stock code)",
    description: "Sales, returns and reach of each product.",
    columns: {
      stock_code: lineFields.stock_code,
      description: {type: "VARCHAR", description: "Most frequent description of the code"},
      units: periodMeasures.units,
      net_units: {type: "BIGINT", description: "Units sold minus units later cancelled"},
      revenue: periodMeasures.revenue,
      net_revenue: periodMeasures.net_revenue,
      orders: {type: "BIGINT", description: "Invoices containing the product"},
      customers: {type: "BIGINT", description: "Distinct identified customers who bought it"},
      countries: {type: "BIGINT", description: "Distinct countries it sold to"},
      avg_unit_price: {type: "DOUBLE", description: "revenue / units"},
      returned_units: {type: "BIGINT", description: "Units later cancelled"},
      return_rate: {type: "DOUBLE", description: "returned_units / units"},
      first_sold: {type: "TIMESTAMP", description: "First sale"},
      last_sold: {type: "TIMESTAMP", description: "Last sale"},
      revenue_rank: {type: "BIGINT", description: "Rank by net revenue (1 = highest)"}
    }
  },
  customer_metrics: {
    layer: "mart",
    grain: "one row per identified customer with at least one sale",
    description: "Per-customer purchase history summary (RFM inputs). Recency is counted from the day after the last date in the data.",
    columns: {
      customer_id: {type: "INTEGER", description: "Customer number"},
      country: {type: "VARCHAR", description: "Country of most of the customer's lines (ties: alphabetical)"},
      first_purchase: {type: "TIMESTAMP", description: "First sale"},
      last_purchase: {type: "TIMESTAMP", description: "Last sale"},
      recency_days: {type: "INTEGER", description: "Days from the last purchase day to the day after the data ends"},
      frequency: {type: "BIGINT", description: "Distinct sales invoices"},
      monetary: {type: "DOUBLE", description: "Net revenue (sales minus matched cancellations)"},
      revenue: {type: "DOUBLE", description: "Gross revenue"},
      returns_value: {type: "DOUBLE", description: "Value of the customer's product cancellations"},
      units: {type: "BIGINT", description: "Units bought"},
      avg_order_value: {type: "DOUBLE", description: "revenue / frequency"},
      distinct_products: {type: "BIGINT", description: "Distinct products bought"},
      tenure_days: {type: "INTEGER", description: "Days from the first purchase day to the day after the data ends"}
    }
  },
  data_quality: {
    layer: "meta",
    grain: "one row per check",
    description: "Data-quality checks in the spirit of dbt tests; a failed error-severity check fails the run.",
    columns: {
      check: {type: "VARCHAR", description: "Check identifier"},
      description: {type: "VARCHAR", description: "What the check asserts"},
      table_name: {type: "VARCHAR", description: "Table checked"},
      severity: {type: "VARCHAR", description: "error (fails the run), warn or info"},
      status: {type: "VARCHAR", description: "pass or fail"},
      observed: {type: "DOUBLE", description: "The measured number (violations, share, count)"},
      expected: {type: "VARCHAR", description: "What passing means"},
      details: {type: "VARCHAR", description: "Examples of violations, or context"}
    }
  },
  pipeline_runs: {
    layer: "meta",
    grain: "one row per stage of each recent run",
    description: "The last runs (newest first) with the status, reason and time of every stage.",
    volatile: true,
    columns: {
      run_id: {type: "VARCHAR", description: "Run identifier (start time and process)"},
      started_at: {type: "TIMESTAMP", description: "Run start (UTC)"},
      run_status: {type: "VARCHAR", description: "succeeded or failed"},
      run_duration_ms: {type: "DOUBLE", description: "Wall time of the whole run"},
      stage: {type: "VARCHAR", description: "Stage name"},
      stage_status: {type: "VARCHAR", description: "ran, skipped, failed or not run"},
      reason: {type: "VARCHAR", description: "Why the stage ran or was skipped"},
      duration_ms: {type: "DOUBLE", description: "Stage wall time"},
      rows_in: {type: "BIGINT", description: "Rows the stage read"},
      rows_out: {type: "BIGINT", description: "Rows the stage wrote"},
      detail: {type: "VARCHAR", description: "Stage summary"}
    }
  }
} as const satisfies Record<string, SnapshotSpec>;
