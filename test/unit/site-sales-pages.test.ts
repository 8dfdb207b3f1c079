/**
 * The sales and product model pages' pure pieces (src/components): backtest scores and the forecast
 * verdict, the rule filter, anomaly order and URL lists, the action-item rules, typed downloads of fast-path
 * rows, customer numbers and the recommender's evaluation. Hand-made rows with answers worked out by hand.
 */
import {describe, expect, it} from "vitest";
import {anomaliesToReview, atRiskCustomers, bundlesToPromote, campaignTotals, quantile, risingProducts} from "../../src/components/action-items.js";
import {atStake, formatList, parseList, sortAnomalies, withStake, type AnomalyRow} from "../../src/components/anomalies.js";
import {pastForecasts} from "../../src/components/forecast-history.js";
import {basketScopes, filterRules, parseThreshold, scopeInvoices, type RuleRow} from "../../src/components/basket.js";
import {backtestScores, forecastVerdict, type BacktestRow} from "../../src/components/forecast.js";
import {findMetric, type MetricRow} from "../../src/components/model-metrics.js";
import {recommenderScores, recommenderVerdict} from "../../src/components/recommendations.js";
import {rowsToArrow, snapshotColumns} from "../../src/components/rows-to-arrow.js";

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

/** Backtest rows of one method and horizon with the given absolute percentage errors (actual 100 each). */
function backtest(
  method: string,
  role: BacktestRow["role"],
  horizon: number,
  errors: number[],
  granularity: BacktestRow["granularity"] = "week"
): BacktestRow[] {
  return errors.map((error, i) => ({
    granularity,
    method,
    role,
    horizon,
    target_start: day(`2011-10-${String(10 + i).padStart(2, "0")}`),
    actual: 100,
    forecast: 100 + 100 * error,
    abs_pct_error: error
  }));
}

describe("forecast backtest", () => {
  const rows = [
    ...backtest("naive", "baseline", 1, [0.2, 0.2]),
    ...backtest("naive", "baseline", 4, [0.2, 0.2]),
    ...backtest("mean_last_4_weeks", "baseline", 1, [0.1, 0.14]),
    ...backtest("mean_last_4_weeks", "baseline", 4, [0.16, 0.18]),
    ...backtest("holt_damped", "published", 1, [0.14, 0.14]),
    ...backtest("holt_damped", "published", 4, [0.15, 0.15]),
    ...backtest("holt_damped", "published", 1, [0.5], "month")
  ];

  it("scores MAPE and MAE per method and horizon, best first within a horizon, one granularity only", () => {
    const scores = backtestScores(rows, "week");
    expect(scores.map((score) => [score.horizon, score.method, score.n])).toEqual([
      [1, "mean_last_4_weeks", 2],
      [1, "holt_damped", 2],
      [1, "naive", 2],
      [4, "holt_damped", 2],
      [4, "mean_last_4_weeks", 2],
      [4, "naive", 2]
    ]);
    const mean4 = scores.find((score) => score.method === "mean_last_4_weeks" && score.horizon === 1)!;
    expect(mean4.mape).toBeCloseTo(0.12, 12);
    expect(mean4.mae).toBeCloseTo(12, 9);
    expect(mean4.baseline).toBe(true);
    expect(scores.find((score) => score.method === "holt_damped")!.baseline).toBe(false);
  });

  it("leaves out rows a method could not forecast", () => {
    const scores = backtestScores(
      [...backtest("naive", "baseline", 1, [0.1]), {...backtest("naive", "baseline", 1, [0.3])[0]!, forecast: null, abs_pct_error: null}],
      "week"
    );
    expect(scores).toEqual([expect.objectContaining({method: "naive", n: 1, mape: 0.1})]);
  });

  it("calls a difference under one point of mean MAPE a tie, and says how each horizon went", () => {
    const verdict = forecastVerdict(backtestScores(rows, "week"), "week");
    expect(verdict.published).toEqual({method: "holt_damped", mape: expect.closeTo(0.145, 12)});
    expect(verdict.bestBaseline).toEqual({method: "mean_last_4_weeks", mape: expect.closeTo(0.145, 12)});
    expect(verdict.outcome).toBe("tie");
    expect(verdict.text).toMatch(/effectively a tie/);
    expect(verdict.text).toMatch(/1 week ahead the baseline is better \(14\.0% against 12\.0%\); 4 weeks ahead it is better \(15\.0% against 17\.0%\)/);
  });

  it("says the published method beats the baseline only by more than the margin", () => {
    const better = [
      ...rows.filter((row) => row.method !== "holt_damped"),
      ...backtest("holt_damped", "published", 1, [0.1, 0.1]),
      ...backtest("holt_damped", "published", 4, [0.12, 0.12])
    ];
    const verdict = forecastVerdict(backtestScores(better, "week"), "week");
    expect(verdict.outcome).toBe("beats");
    expect(verdict.difference).toBeCloseTo(0.11 - 0.145, 12);
    expect(verdict.text).toMatch(/beats the best baseline, Mean of the last 4 weeks \(14\.5%\), by 3\.5 points/);
  });

  it("says so when the published method is a baseline", () => {
    const monthly = [
      ...backtest("naive", "published", 1, [0.2], "month"),
      ...backtest("mean_last_3_months", "baseline", 1, [0.3], "month"),
      ...backtest("log_ridge_regression", "candidate", 1, [0.24], "month")
    ];
    const verdict = forecastVerdict(backtestScores(monthly, "month"), "month");
    expect(verdict.outcome).toBe("baseline");
    expect(verdict.publishedIsBaseline).toBe(true);
    expect(verdict.text).toMatch(
      /^Used: Naive \(last complete period\), a simple baseline, with a mean MAPE of 20\.0% \(1 month ahead\)\. No model beat it: the best, Ridge regression on log revenue \(24\.0%\), is 4\.0 points worse\.$/
    );
  });

  it("says nothing was published when the backtest is empty", () => {
    expect(forecastVerdict([], "week").outcome).toBe("none");
  });
});

const rule = (scope: string, confidence: number, lift: number, invoices: number, antecedent: string, consequent: string): RuleRow => ({
  scope,
  antecedent_codes: antecedent,
  antecedent: antecedent,
  consequent_codes: consequent,
  consequent,
  size: 2,
  invoices,
  antecedent_invoices: Math.round(invoices / confidence),
  support: invoices / 400,
  confidence,
  lift
});

describe("market basket rules", () => {
  const rules = [
    rule("Germany", 0.9, 10, 20, "B", "C"),
    rule("Germany", 0.6, 30, 12, "A", "B"),
    rule("Germany", 0.9, 10, 20, "A", "C"),
    rule("Germany", 0.95, 10, 20, "D", "E"),
    rule("France", 1, 40, 8, "X", "Y"),
    rule("Germany", 0.5, 2, 50, "F", "G")
  ];

  it("keeps one scope's rules at or above both thresholds, by lift, confidence, orders, then codes", () => {
    expect(filterRules(rules, {scope: "Germany", minConfidence: 0.6, minLift: 10}).map((r) => `${r.antecedent_codes}>${r.consequent_codes}`)).toEqual([
      "A>B",
      "D>E",
      "A>C",
      "B>C"
    ]);
    expect(filterRules(rules, {scope: "Germany", minConfidence: 0.5, minLift: 1})).toHaveLength(5);
    expect(filterRules(rules, {scope: "Spain", minConfidence: 0.5, minLift: 1})).toEqual([]);
  });

  it("lists scopes with all countries first", () => {
    expect(basketScopes([{scope: "United Kingdom"}, {scope: "All countries"}, {scope: "France"}, {scope: "France"}])).toEqual([
      "All countries",
      "France",
      "United Kingdom"
    ]);
  });

  it("recovers a scope's invoices from its itemsets", () => {
    expect(scopeInvoices([{scope: "France", size: 1, stock_codes: "X", products: "X", invoices: 48, support: 48 / 381, lift: null}], "France")).toBe(381);
    expect(scopeInvoices([], "France")).toBeNull();
  });

  it("reads thresholds from a URL: clamped, rounded to the step, defaults for junk", () => {
    const range = {min: 0.5, max: 1, step: 0.05, fallback: 0.5};
    expect(parseThreshold("0.8", range)).toBe(0.8);
    expect(parseThreshold("0.83", range)).toBe(0.85);
    expect(parseThreshold("7", range)).toBe(1);
    expect(parseThreshold("0.1", range)).toBe(0.5);
    expect(parseThreshold("high", range)).toBe(0.5);
    expect(parseThreshold(null, range)).toBe(0.5);
    expect(parseThreshold("", range)).toBe(0.5);
  });
});

function anomaly(overrides: Partial<AnomalyRow>): AnomalyRow {
  return {
    source_file: "a.csv",
    source_line: 1,
    invoice_no: "1",
    invoice_date: day("2011-01-01"),
    stock_code: "X",
    description: "X",
    customer_id: null,
    country: "United Kingdom",
    quantity: 1,
    unit_price: 1,
    revenue: 1,
    kind: "price",
    severity: "Medium",
    severity_rank: 3,
    factor: 10,
    reason: "",
    returned_quantity: 0,
    ...overrides,
    net_revenue: overrides.net_revenue ?? overrides.revenue ?? 1
  };
}

describe("anomalies", () => {
  const rows = [
    anomaly({source_line: 1, severity: "High", severity_rank: 2, revenue: 5, factor: 30}),
    anomaly({source_line: 2, severity: "Critical", severity_rank: 1, revenue: 3, factor: 60, invoice_date: day("2011-05-01")}),
    anomaly({source_line: 3, severity: "Medium", severity_rank: 3, revenue: 500, factor: 12}),
    anomaly({source_line: 4, severity: "High", severity_rank: 2, revenue: 50, factor: 25}),
    anomaly({source_line: 5, severity: "High", severity_rank: 2, revenue: 50, factor: 25, source_file: "0.csv"})
  ];
  const lines = (sorted: AnomalyRow[]) => sorted.map((row) => row.source_line);

  it("sorts by severity then revenue, by revenue at stake, by factor, and by date, ties by file and line", () => {
    expect(lines(sortAnomalies(rows, "severity"))).toEqual([2, 5, 4, 1, 3]);
    expect(lines(sortAnomalies(rows, "revenue"))).toEqual([3, 5, 4, 1, 2]);
    expect(lines(sortAnomalies(rows, "factor"))).toEqual([2, 1, 5, 4, 3]);
    expect(lines(sortAnomalies(rows, "newest"))).toEqual([2, 5, 1, 3, 4]);
  });

  it("keeps list filters in the URL only when they select less than everything", () => {
    const all = ["Critical", "High", "Medium"] as const;
    expect(parseList(null, all)).toEqual(["Critical", "High", "Medium"]);
    expect(parseList("high,critical,bogus", all)).toEqual(["Critical", "High"]);
    expect(parseList("bogus", all)).toEqual(["Critical", "High", "Medium"]);
    expect(formatList(["High", "Critical"], all)).toBe("Critical,High");
    expect(formatList(["Medium", "High", "Critical"], all)).toBeNull();
  });
});

describe("action items", () => {
  it("computes quantiles as DuckDB's quantile_cont does", () => {
    expect(quantile([1, 2, 3, 4, 5], 0.8)).toBeCloseTo(4.2, 12);
    expect(quantile([10], 0.8)).toBe(10);
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it("lists customers at High or Medium risk in the top 20% by expected spend, most value at risk first", () => {
    const churn = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((i) => ({
      customer_id: i,
      risk_level: i % 3 === 0 ? "Low" : i % 2 ? "High" : "Medium",
      churn_probability: 0.5,
      expected_spend_90d: 100 * i,
      value_at_risk: i === 10 ? 1 : 50 * i
    }));
    // Spend threshold: quantile(100…1000, 0.8) = 820: customers 9 (Low risk: out) and 10.
    const list = atRiskCustomers(churn);
    expect(list.threshold).toBeCloseTo(820, 9);
    expect(list.rows.map((row) => row.customer_id)).toEqual([10]);
    expect(list).toMatchObject({count: 1, value: 1});
  });

  it("values bundles at the recent revenue of their products, each counted once", () => {
    const suggestions = [
      {scope: "All countries", kind: "bundle", rank: 2, stock_codes: "A, C"},
      {scope: "All countries", kind: "bundle", rank: 1, stock_codes: "A, B"},
      {scope: "All countries", kind: "cross_sell", rank: 1, stock_codes: "D, E"},
      {scope: "France", kind: "bundle", rank: 1, stock_codes: "F, G"}
    ];
    const demand = [
      {stock_code: "A", trend: "steady", revenue_last_4_weeks: 10, revenue_prior_4_weeks: 0},
      {stock_code: "B", trend: "rising", revenue_last_4_weeks: 5, revenue_prior_4_weeks: 1},
      {stock_code: "D", trend: "rising", revenue_last_4_weeks: 100, revenue_prior_4_weeks: 1}
    ];
    const bundles = bundlesToPromote(suggestions, demand);
    expect(bundles.rows.map((row) => row.rank)).toEqual([1, 2]);
    expect(bundles).toMatchObject({count: 2, value: 15, products: 3});
    const rising = risingProducts(demand);
    expect(rising.rows.map((row) => row.stock_code)).toEqual(["D", "B"]);
    expect(rising).toMatchObject({count: 2, value: 103});
  });

  it("reviews Critical and High anomalies, and counts campaign customers once", () => {
    const rows = [
      anomaly({severity_rank: 3, revenue: 1000}),
      anomaly({severity_rank: 2, revenue: 7, source_line: 2}),
      anomaly({severity_rank: 1, revenue: 3, source_line: 3})
    ];
    expect(anomaliesToReview(rows)).toMatchObject({count: 2, value: 10});
    expect(anomaliesToReview(rows).rows.map((row) => row.source_line)).toEqual([3, 2]);
    // Net of cancellations: a line cancelled in full drops out (nothing to review), a partly cancelled one counts its net.
    const cancelled = [
      anomaly({severity_rank: 1, revenue: 500, source_line: 4}),
      anomaly({severity_rank: 2, revenue: 7, source_line: 2}),
      anomaly({severity_rank: 1, revenue: 3, source_line: 3})
    ].map((row, i) => ({...row, net_revenue: [0, 7, 2][i]!}));
    expect(anomaliesToReview(cancelled)).toMatchObject({count: 2, value: 9, cancelled: 1});
    expect(anomaliesToReview(cancelled).rows.map((row) => row.source_line)).toEqual([3, 2]);
    expect(
      campaignTotals([
        {customer_id: 1, net_order_value: 10},
        {customer_id: 1, net_order_value: 10},
        {customer_id: 2, net_order_value: 5}
      ])
    ).toEqual({count: 2, value: 15});
  });
});

describe("typed downloads of fast-path rows", () => {
  const schema = [
    {
      name: "t",
      columns: [
        {name: "name", type: "VARCHAR"},
        {name: "line", type: "BIGINT"},
        {name: "n", type: "INTEGER"},
        {name: "x", type: "DOUBLE"},
        {name: "flag", type: "BOOLEAN"},
        {name: "day", type: "DATE"},
        {name: "at", type: "TIMESTAMP"}
      ]
    }
  ];

  it("builds an Arrow table with the snapshot's types, nulls kept", async () => {
    const rows = [
      {name: "=cmd", line: 730, n: 3, x: 0.1, flag: true, day: day("2011-12-10"), at: new Date(Date.UTC(2011, 11, 9, 12, 50)), extra: "ignored"},
      {name: null, line: null, n: null, x: null, flag: null, day: null, at: null}
    ];
    const table = await rowsToArrow(rows, snapshotColumns(schema, "t"));
    expect(table.schema.fields.map((field) => `${field.name}:${field.type}`)).toEqual([
      "name:Utf8",
      "line:Int64",
      "n:Int32",
      "x:Float64",
      "flag:Bool",
      "day:Date32<DAY>",
      "at:Timestamp<MILLISECOND>"
    ]);
    expect(table.numRows).toBe(2);
    expect(table.getChild("line")!.get(0)).toBe(730n);
    expect(table.getChild("day")!.get(0)).toBe(Date.UTC(2011, 11, 10));
    expect(table.getChild("at")!.get(0)).toBe(Date.UTC(2011, 11, 9, 12, 50));
    expect(table.getChild("x")!.get(1)).toBeNull();
  });

  it("names the column, row and value it cannot write, and unknown columns", async () => {
    await expect(rowsToArrow([{line: 1.5}], [{name: "line", type: "BIGINT"}])).rejects.toThrow("column line (BIGINT), row 0: cannot write number 1.5");
    expect(() => snapshotColumns(schema, "t", ["nope"])).toThrow(/snapshot t has no column "nope"; its columns are name, line/);
    expect(() => snapshotColumns(schema, "u")).toThrow(/no snapshot "u" in the schema; snapshots: t/);
  });
});

describe("recommendations", () => {
  const row = (method: string, role: MetricRow["role"], metricName: string, value: number): MetricRow => ({
    model: "recommendations",
    method,
    role,
    metric: metricName,
    split: "time",
    value,
    n: 100,
    details: ""
  });
  const metrics = [
    row("blend:buy_again", "published", "precision_at_10", 0.318),
    row("blend:buy_again", "published", "recall_at_10", 0.19),
    row("most_bought:buy_again", "baseline", "precision_at_10", 0.285),
    row("popularity:buy_again", "baseline", "precision_at_10", 0.072),
    row("blend:discover", "published", "precision_at_10", 0.05),
    row("recent_popularity:discover", "baseline", "precision_at_10", 0.069)
  ];

  it("pairs precision and recall per method and mode, and compares with the best baseline and the bar", () => {
    const scores = recommenderScores(metrics);
    expect(scores.find((score) => score.method === "blend" && score.mode === "buy_again")).toMatchObject({precision: 0.318, recall: 0.19, role: "published"});
    const buyAgain = recommenderVerdict(scores, "buy_again");
    expect(buyAgain.beats).toBe(true);
    expect(buyAgain.baseline?.method).toBe("most_bought");
    expect(buyAgain.text).toMatch(
      /against 0\.285 for the best baseline, the customer's own most-bought products: it beats it by 12%\. The target, 0\.30, is met\./
    );
    const discover = recommenderVerdict(scores, "discover");
    expect(discover.beats).toBe(false);
    expect(discover.text).toMatch(/it does not beat it\. The target, 0\.06, is not met\./);
  });

  it("a missing metric lists what the model has", () => {
    expect(() => findMetric(metrics, {model: "recommendations", method: "als:buy_again", metric: "precision_at_10"})).toThrow(
      /no row for .*; the recommendations rows are: blend:buy_again\/precision_at_10 \(time\), blend:buy_again\/recall_at_10/
    );
  });
});

describe("anomalies net of cancellations", () => {
  const line = (file: string, lineNo: number, revenue: number, returned_quantity = 0, net_revenue = revenue, severity_rank = 1): AnomalyRow => ({
    source_file: file,
    source_line: lineNo,
    invoice_no: String(lineNo),
    invoice_date: new Date(Date.UTC(2011, 0, lineNo)),
    stock_code: "A",
    description: null,
    customer_id: null,
    country: "France",
    quantity: 10,
    unit_price: revenue / 10,
    revenue,
    returned_quantity,
    net_revenue,
    kind: "quantity",
    severity: ["Critical", "High", "Medium"][severity_rank - 1]!,
    severity_rank,
    factor: 30,
    reason: "x"
  });

  it("ranks by net revenue at stake by default, by revenue when Gross is chosen", () => {
    // A cancelled 1,000 order must not lead the list: net, it is worth 0.
    const rows = [line("a.csv", 1, 1000, 10, 0), line("a.csv", 2, 300, 0, 300), line("b.csv", 1, 500, 0, 500)];
    const net = withStake(rows);
    expect(net.map((row) => [row.source_file, row.source_line, row.at_stake])).toEqual([
      ["a.csv", 1, 0],
      ["a.csv", 2, 300],
      ["b.csv", 1, 500]
    ]);
    expect(sortAnomalies(net, "revenue").map((row) => row.at_stake)).toEqual([500, 300, 0]);
    const gross = withStake(rows, "gross");
    expect(sortAnomalies(gross, "revenue").map((row) => atStake(row))).toEqual([1000, 500, 300]);
    // Without a chosen measure, a row is worth its net revenue.
    expect(atStake(rows[0]!)).toBe(0);
  });
});

describe("past forecasts", () => {
  it("are the published method's backtest forecasts, oldest first, with their error", () => {
    const row = (method: string, role: "published" | "baseline", horizon: number, day: number, actual: number, forecast: number | null) => ({
      granularity: "week" as const,
      method,
      role,
      horizon,
      target_start: new Date(Date.UTC(2011, 10, day)),
      actual,
      forecast,
      abs_pct_error: forecast === null ? null : Math.abs(actual - forecast) / actual
    });
    const rows = [
      row("holt", "published", 4, 14, 200, 150),
      row("holt", "published", 1, 14, 200, 220),
      row("naive", "baseline", 1, 7, 100, 90),
      row("holt", "published", 1, 7, 100, 110),
      row("holt", "published", 4, 21, 300, null)
    ];
    expect(
      pastForecasts(rows, "week").map((entry) => [entry.target_start.getUTCDate(), entry.horizon, entry.forecast, Number(entry.error.toFixed(3))])
    ).toEqual([
      [7, 1, 110, 0.1],
      [14, 1, 220, 0.1],
      [14, 4, 150, -0.25]
    ]);
    expect(pastForecasts(rows, "month")).toEqual([]);
  });
});
