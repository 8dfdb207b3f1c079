import {queryRow} from "../../db.js";
import type {StageContext} from "../../run/stage.js";
import {martsSql} from "../../transform/marts-sql.js";
import {productMartsSql} from "../../transform/product-marts-sql.js";
import type {MartsSummary, ProductMartsSummary} from "../engine.js";

export async function marts({connection}: StageContext): Promise<MartsSummary> {
  await connection.run(martsSql);
  return queryRow<MartsSummary>(
    connection,
    `SELECT (SELECT count(*) FROM sales) AS sales, (SELECT count(*) FROM orders) AS orders,
       (SELECT count(*) FROM customer_metrics) AS customers, (SELECT count(*) FROM product_performance) AS products`
  );
}

export async function productMarts({connection}: StageContext): Promise<ProductMartsSummary> {
  await connection.run(productMartsSql);
  return queryRow<ProductMartsSummary>(connection, "SELECT (SELECT count(*) FROM sales) AS sales, (SELECT count(*) FROM monthly_product_sales) AS months");
}
