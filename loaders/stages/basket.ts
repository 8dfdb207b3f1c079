import {literal} from "../db.js";
import {ALL_COUNTRIES} from "../../src/shared/values.js";
import {columnsOf, writeRows, ints, readColumns, strings} from "../run/table-io.js";
import {fitNote, fitWindowOf, writeMetrics} from "./model-io.js";
import type {Stage, StageContext} from "../run/stage.js";
import {SALES_MODEL_SNAPSHOTS} from "../schema/sales-models.js";
import type {BasketInput} from "../../models/basket/fit.js";
import {score, type BasketArtefact} from "../../models/basket/index.js";
import type {Fitted} from "../../models/dialect.js";
import {projectUrl} from "../paths.js";
import {productNamesSql} from "../transform/product-names-sql.js";

/** Market basket: FP-growth itemsets, association rules and suggestions over invoices (all, and large countries). */
export const basketStage: Stage = {
  name: "basket",
  description: "Mine frequent itemsets and association rules over invoices (FP-growth), with bundle and cross-sell suggestions",
  inputs: ["sales"],
  outputs: ["basket_itemsets", "basket_rules", "basket_suggestions", "basket_metrics"],
  module: "loaders/stages/basket.ts",
  refit: "period",
  run: basket
};

async function basket({connection, options, runModel, fitted}: StageContext) {
  // Fitted on the invoices through the end of the last complete refit period: a new day inside it re-uses the fit.
  const window = await fitWindowOf(connection, options.refit);
  const inWindow = window ? `invoice_date::DATE <= DATE '${window.fittedThrough}'` : "true";
  const through = `WHERE ${inWindow}`;
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE bk_invoices AS
    SELECT invoice_no, CAST(row_number() OVER (ORDER BY invoice_no) - 1 AS INTEGER) AS t, min(country) AS country,
      CAST(min(invoice_date)::DATE - DATE '1970-01-01' AS INTEGER) AS day
    FROM sales ${through} GROUP BY invoice_no;
    CREATE OR REPLACE TEMP TABLE bk_products AS
    SELECT stock_code, CAST(row_number() OVER (ORDER BY stock_code) - 1 AS INTEGER) AS i FROM (SELECT DISTINCT stock_code FROM sales ${through});
    CREATE OR REPLACE TEMP TABLE bk_countries AS
    SELECT country, CAST(row_number() OVER (ORDER BY country) - 1 AS INTEGER) AS c FROM (SELECT DISTINCT country FROM bk_invoices);`);
  const pairs = await readColumns(
    connection,
    `SELECT DISTINCT t, i FROM sales JOIN bk_invoices USING (invoice_no) JOIN bk_products USING (stock_code) ORDER BY t, i`
  );
  const invoices = await readColumns(connection, `SELECT c, day FROM bk_invoices JOIN bk_countries USING (country) ORDER BY t`);
  // Names as product_performance chooses them (the most frequent description), but within the fit window, so
  // the fit's input, and its key, do not change with days after it.
  const products = await readColumns(
    connection,
    `SELECT p.stock_code, named.description FROM bk_products AS p LEFT JOIN ${productNamesSql(inWindow)} AS named USING (stock_code) ORDER BY p.i`
  );
  const countries = await readColumns(connection, `SELECT country FROM bk_countries ORDER BY c`);
  await connection.run("DROP TABLE bk_invoices; DROP TABLE bk_products; DROP TABLE bk_countries;");
  const t = ints(pairs, "t");
  const invoiceCountry = ints(invoices, "c");
  const offsets = new Int32Array(invoiceCountry.length + 1);
  for (const transaction of t) offsets[transaction + 1]++;
  for (let k = 0; k < invoiceCountry.length; k++) offsets[k + 1] += offsets[k];
  const stockCodes = strings(products, "stock_code") as string[];
  const input: BasketInput = {
    offsets,
    items: ints(pairs, "i"),
    itemCount: stockCodes.length,
    invoiceCountry,
    invoiceDay: ints(invoices, "day"),
    countries: strings(countries, "country") as string[],
    stockCodes,
    descriptions: strings(products, "description")
  };
  const {artefact: fit, reused} = await fitted("basket", input, window?.fittedThrough ?? "", () =>
    runModel<Fitted<BasketArtefact>>(projectUrl("models/basket/index.ts"), "fit", input)
  );
  const result = score(fit.artefact);
  for (const [name, rows, order] of [
    ["basket_itemsets", result.itemsets, `scope = ${literal(ALL_COUNTRIES)} DESC, scope, size, invoices DESC, stock_codes`],
    [
      "basket_rules",
      result.rules,
      `scope = ${literal(ALL_COUNTRIES)} DESC, scope, lift DESC, confidence DESC, invoices DESC, antecedent_codes, consequent_codes`
    ],
    ["basket_suggestions", result.suggestions, `scope = ${literal(ALL_COUNTRIES)} DESC, scope, kind, rank`]
  ] as const) {
    await writeRows(connection, `${name}__rows`, columnsOf(SALES_MODEL_SNAPSHOTS[name].columns), rows);
    await connection.run(`CREATE OR REPLACE TABLE ${name} AS SELECT * FROM ${name}__rows ORDER BY ${order}; DROP TABLE ${name}__rows;`);
  }
  await writeMetrics(connection, "basket_metrics", fit.metrics, {
    fittedThrough: window?.fittedThrough ?? null,
    scoredAsOf: window?.lastDay ?? null
  });
  const scopes = fit.artefact.scopes;
  return {
    rowsIn: t.length,
    rowsOut: result.rules.length,
    detail:
      scopes.length === 0
        ? fit.metrics[0].details
        : `${scopes.map((scope) => `${scope.scope}: ${scope.itemsets} itemsets, ${scope.rules} rules (in ≥ ${scope.minCount} invoices)`).join("; ")}; ${fitNote(window, reused)}`
  };
}
