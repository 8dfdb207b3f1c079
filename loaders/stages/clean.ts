import {queryRow, queryRows} from "../db.js";
import {applyMatchesSql, classifySql, cleanViewsSql, matchCandidatesSql} from "../transform/clean-sql.js";
import {matchReturns, type Cancellation, type Purchase} from "../transform/match-returns.js";
import {formatCount} from "../run/progress.js";
import type {Stage, StageContext} from "../run/stage.js";

/**
 * Clean: splits raw lines into sales, returns (cancellations) and excluded lines with reasons, and
 * matches each cancellation to the purchases it cancels so marts can report net revenue.
 */
export const cleanStage: Stage = {
  name: "clean",
  description: "Classify raw lines into sales, returns and excluded lines; match returns to purchases",
  inputs: ["raw_lines"],
  outputs: ["sales", "returns", "excluded_lines"],
  code: [
    import.meta.url,
    new URL("../transform/clean-sql.ts", import.meta.url).href,
    new URL("../transform/match-returns.ts", import.meta.url).href,
    new URL("../transform/money.ts", import.meta.url).href
  ],
  options: ({nonProductCodes, nonProductPatterns}) => ({nonProductCodes, nonProductPatterns}),
  run: clean
};

async function clean({connection, options, inputPath}: StageContext) {
  await connection.run(classifySql(inputPath("raw_lines"), options));
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

  const counts = await queryRow<{lines: number; sales: number; returns: number; excluded: number; matched: number; returned: number}>(
    connection,
    `SELECT count(*) AS lines, count(*) FILTER (WHERE category = 'sale') AS sales,
       count(*) FILTER (WHERE category = 'return') AS returns, count(*) FILTER (WHERE category NOT IN ('sale', 'return')) AS excluded,
       coalesce(sum(matched_quantity) FILTER (WHERE category = 'return' AND NOT is_non_product), 0)::BIGINT AS matched,
       coalesce(sum(-quantity) FILTER (WHERE category = 'return' AND NOT is_non_product), 0)::BIGINT AS returned
     FROM classified`
  );
  return {
    cleanup: () => connection.run("DROP TABLE classified; DROP TABLE duplicate_lines; DROP TABLE return_matches;").then(() => undefined),
    rowsIn: counts.lines,
    rowsOut: counts.sales,
    detail:
      `${formatCount(counts.sales)} sales, ${formatCount(counts.returns)} returns, ${formatCount(counts.excluded)} excluded; ` +
      `${counts.returned ? Math.round((100 * counts.matched) / counts.returned) : 0}% of returned units matched to purchases`
  };
}
