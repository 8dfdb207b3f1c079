import {queryRow, queryRows} from "../db.js";
import {classifySql, cleanTablesSql, matchCandidatesSql} from "../transform/clean-sql.js";
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

async function clean({connection, options}: StageContext) {
  await connection.run(classifySql(options));
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
  await connection.run(cleanTablesSql);

  const counts = await queryRow<{lines: number; sales: number; returns: number; excluded: number; matched: number; returned: number}>(
    connection,
    `SELECT (SELECT count(*) FROM classified) AS lines, (SELECT count(*) FROM sales) AS sales,
       (SELECT count(*) FROM returns) AS returns, (SELECT count(*) FROM excluded_lines) AS excluded,
       (SELECT coalesce(sum(matched_quantity), 0) FROM returns WHERE is_product)::BIGINT AS matched,
       (SELECT coalesce(sum(quantity), 0) FROM returns WHERE is_product)::BIGINT AS returned`
  );
  await connection.run("DROP TABLE classified; DROP TABLE return_matches;");
  return {
    rowsIn: counts.lines,
    rowsOut: counts.sales,
    detail:
      `${formatCount(counts.sales)} sales, ${formatCount(counts.returns)} returns, ${formatCount(counts.excluded)} excluded; ` +
      `${counts.returned ? Math.round((100 * counts.matched) / counts.returned) : 0}% of returned units matched to purchases`
  };
}
