import {queryRow} from "../db.js";
import {QualityError} from "../errors.js";
import {CHECKS} from "../quality/checks.js";
import {writeRows} from "../run/table-io.js";
import type {Stage, StageContext} from "../run/stage.js";

/** Quality: runs every check into `data_quality`; a failed error-severity check fails the run. */
export const qualityStage: Stage = {
  name: "quality",
  description: "Run data-quality checks (unique, not null, accepted values, relationships, reconciliation)",
  inputs: [
    "raw_lines",
    "quarantine",
    "input_files",
    "sales",
    "returns",
    "excluded_lines",
    "orders",
    "daily_sales",
    "weekly_sales",
    "monthly_sales",
    "monthly_product_sales",
    "country_sales",
    "product_performance",
    "customer_metrics"
  ],
  outputs: ["data_quality"],
  module: "loaders/stages/quality.ts",
  run: quality
};

const QUALITY_COLUMNS = [
  ["check", "VARCHAR"],
  ["description", "VARCHAR"],
  ["table_name", "VARCHAR"],
  ["severity", "VARCHAR"],
  ["status", "VARCHAR"],
  ["observed", "DOUBLE"],
  ["expected", "VARCHAR"],
  ["details", "VARCHAR"]
] as const;

interface Outcome {
  check: string;
  description: string;
  table_name: string;
  severity: string;
  status: "pass" | "fail";
  observed: number | null;
  expected: string;
  details: string | null;
}

async function quality({connection}: StageContext) {
  const outcomes: Outcome[] = [];
  for (const check of CHECKS) {
    const {observed, details} = await queryRow<{observed: number | null; details: string | null}>(connection, check.sql);
    const passes = check.severity === "info" || (check.passes ?? ((value: number) => value === 0))(observed ?? 0);
    outcomes.push({
      check: check.check,
      description: check.description,
      table_name: check.table,
      severity: check.severity,
      status: passes ? "pass" : "fail",
      observed,
      expected: check.expected,
      details
    });
  }
  await writeRows(connection, "data_quality", QUALITY_COLUMNS, outcomes);

  const errors = outcomes.filter((outcome) => outcome.severity === "error" && outcome.status === "fail");
  if (errors.length > 0) {
    throw new QualityError(
      `${errors.length} data-quality check${errors.length > 1 ? "s" : ""} failed; snapshots were left as they were:\n` +
        errors
          .map(
            (error) =>
              `  - ${error.check} (${error.table_name}): ${error.description}. Observed ${error.observed}; expected ${error.expected}. ${error.details ?? ""}`
          )
          .join("\n")
    );
  }
  const warnings = outcomes.filter((outcome) => outcome.severity === "warn" && outcome.status === "fail");
  return {
    rowsOut: outcomes.length,
    detail: `${outcomes.length} checks, ${errors.length} failed, ${warnings.length} warning${warnings.length === 1 ? "" : "s"}`
  };
}
