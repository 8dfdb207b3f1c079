import {queryRow, queryRows} from "../../db.js";
import type {StageContext} from "../../run/stage.js";
import {applyMatchesSql, classifySql, cleanViewsSql, matchCandidatesSql, type CleanRules} from "../../transform/clean-sql.js";
import {matchReturns, type Cancellation, type Purchase} from "../../transform/match-returns.js";
import type {CleanSummary} from "../engine.js";

/**
 * Classifies raw lines (in DuckDB), matches cancellations to purchases (in JavaScript: a stack-like
 * allocation SQL cannot express), and leaves `sales`, `returns` and `excluded_lines` as views the runner
 * streams to Parquet in line order.
 */
export async function clean({connection, inputPath}: StageContext, rules: CleanRules): Promise<CleanSummary> {
  await connection.run(classifySql(inputPath("raw_lines"), rules));
  const purchases = await queryRows<Purchase>(connection, matchCandidatesSql.purchases);
  const cancellations = await queryRows<Cancellation>(connection, matchCandidatesSql.cancellations);
  const matches = matchReturns(purchases, cancellations);

  await connection.run("CREATE OR REPLACE TEMP TABLE return_matches (purchase BIGINT, cancellation BIGINT, quantity INTEGER)");
  const appender = await connection.createAppender("return_matches", "main", "temp");
  for (const match of matches) {
    appender.appendBigInt(BigInt(match.purchase));
    appender.appendBigInt(BigInt(match.cancellation));
    appender.appendInteger(match.quantity);
    appender.endRow();
  }
  appender.closeSync();
  await connection.run(applyMatchesSql);
  await connection.run(cleanViewsSql);
  return queryRow<CleanSummary>(
    connection,
    `SELECT count(*) AS lines, count(*) FILTER (WHERE category = 'sale') AS sales,
       count(*) FILTER (WHERE category = 'return') AS returns, count(*) FILTER (WHERE category NOT IN ('sale', 'return')) AS excluded,
       coalesce(sum(matched_quantity) FILTER (WHERE category = 'return' AND NOT is_non_product), 0)::BIGINT AS "matchedUnits",
       coalesce(sum(-quantity) FILTER (WHERE category = 'return' AND NOT is_non_product), 0)::BIGINT AS "returnedUnits"
     FROM classified`
  );
}

/** Drops the working tables the output views read; call once the outputs are written. */
export async function dropCleanTables({connection}: StageContext): Promise<void> {
  await connection.run("DROP TABLE IF EXISTS classified; DROP TABLE IF EXISTS duplicate_lines; DROP TABLE IF EXISTS return_matches;");
}
