/**
 * What the recommender says to promote: the `recommended_products` stage's SQL on real DuckDB over hand-made
 * lists, with the counts worked out by hand, and the Recommendations page's pick of its rows.
 */
import {beforeAll, describe, expect, it} from "vitest";
import {queryRows} from "../../loaders/db.js";
import {RECOMMENDED_PRODUCTS_KEPT, recommendedProductsSql} from "../../loaders/stages/recommended-products.js";
import {recommendedProducts, type RecommendedProduct} from "../../src/components/recommended-products.js";
import {pipelineConnection} from "../helpers/duckdb.js";

const connection = pipelineConnection();

// Customer 1 (segment Loyal): discover B, A. Customer 2 (no segment): discover A, and C only at rank 11.
// Customer 3 (New): discover B, then C (no description); buy again Z.
beforeAll(async () => {
  await connection().run(`CREATE TABLE recommendations AS SELECT * FROM (VALUES
    (1, 'discover', 1, 'B', 'Bee'), (1, 'discover', 2, 'A', 'Ant'),
    (2, 'discover', 1, 'A', 'Ant'), (2, 'discover', 11, 'C', 'Cat'),
    (3, 'discover', 1, 'B', 'Bee'), (3, 'buy_again', 1, 'Z', 'Zed'), (3, 'discover', 2, 'C', NULL)
  ) AS t(customer_id, mode, rank, stock_code, description)`);
  await connection().run(`CREATE TABLE customer_segments AS SELECT * FROM (VALUES (1, 'Loyal'), (3, 'New')) AS t(customer_id, segment)`);
  await connection().run(recommendedProductsSql);
});

const rows = () => queryRows<RecommendedProduct>(connection(), "SELECT * FROM recommended_products");

describe("recommended_products", () => {
  it("counts the customers each product is in the top 10 of, per list and scope, most first, ties by code", async () => {
    const all = (await rows()).filter((row) => row.segment === "All customers");
    expect(
      all.map(({mode, rank, stock_code, description, customers, share, listed_customers}) => [
        mode,
        rank,
        stock_code,
        description,
        customers,
        share,
        listed_customers
      ])
    ).toEqual([
      ["buy_again", 1, "Z", "Zed", 1, 1, 1],
      ["discover", 1, "A", "Ant", 2, 2 / 3, 3],
      ["discover", 2, "B", "Bee", 2, 2 / 3, 3],
      ["discover", 3, "C", "C", 1, 1 / 3, 3] // rank 11 does not count; no description: the code
    ]);
  });

  it("per segment, with the share of the segment's customers with the list; customers it did not place under No segment", async () => {
    const discover = (await rows()).filter((row) => row.mode === "discover" && row.segment !== "All customers");
    expect(discover.map((row) => [row.segment, row.rank, row.stock_code, row.customers, row.share])).toEqual([
      ["Loyal", 1, "A", 1, 1],
      ["Loyal", 2, "B", 1, 1],
      ["New", 1, "B", 1, 1],
      ["New", 2, "C", 1, 1],
      ["No segment", 1, "A", 1, 1]
    ]);
  });

  it("keeps the top 15 of each list and scope, and the page picks a list's top rows overall or per segment", async () => {
    await connection().run(`CREATE OR REPLACE TABLE recommendations AS
      SELECT c AS customer_id, 'discover' AS mode, p AS rank, 'P' || lpad(p::VARCHAR, 2, '0') AS stock_code, 'Product ' || p AS description
      FROM range(1, 21) AS customers(c), range(1, 11) AS products(p) WHERE p <= 10 AND (p <= 5 OR c % p = 0)`);
    await connection().run(recommendedProductsSql);
    const kept = await rows();
    expect(Math.max(...kept.map((row) => row.rank))).toBeLessThanOrEqual(RECOMMENDED_PRODUCTS_KEPT);
    const top = recommendedProducts(kept, {mode: "discover", limit: 6});
    // P01–P05 are in every list (20 customers); P06 is in those of customers 6, 12 and 18.
    expect(top.map((row) => [row.stock_code, row.customers])).toEqual([
      ["P01", 20],
      ["P02", 20],
      ["P03", 20],
      ["P04", 20],
      ["P05", 20],
      ["P06", 3]
    ]);
    // Customers 1 and 3 are still Loyal and New; the other 18 have no segment.
    expect(recommendedProducts(kept, {mode: "discover", limit: 2, by: "segment"}).map((row) => [row.segment, row.stock_code, row.customers])).toEqual([
      ["Loyal", "P01", 1],
      ["Loyal", "P02", 1],
      ["New", "P01", 1],
      ["New", "P02", 1],
      ["No segment", "P01", 18],
      ["No segment", "P02", 18]
    ]);
    expect(() => recommendedProducts(kept, {mode: "discover", limit: 0})).toThrow("invalid limit; not a positive integer: 0");
  });
});
