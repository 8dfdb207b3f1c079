import {describe, expect, it} from "vitest";
import {matchReturns, type Cancellation, type Purchase} from "../../loaders/transform/match-returns.js";

const purchase = (id: number, time: number, quantity: number, customer = 1, product = "A"): Purchase => ({id, customer, product, time, quantity});
const cancel = (id: number, time: number, quantity: number, customer = 1, product = "A"): Cancellation => ({id, customer, product, time, quantity});

describe("matchReturns", () => {
  it("matches a cancellation to the purchase it cancels", () => {
    expect(matchReturns([purchase(1, 100, 80995)], [cancel(2, 112, 80995)])).toEqual([{purchase: 1, cancellation: 2, quantity: 80995}]);
  });

  it("takes units from the latest earlier purchase first", () => {
    expect(matchReturns([purchase(1, 10, 5), purchase(2, 20, 3), purchase(3, 40, 9)], [cancel(9, 30, 4)])).toEqual([
      {purchase: 1, cancellation: 9, quantity: 1},
      {purchase: 2, cancellation: 9, quantity: 3}
    ]);
  });

  it("never cancels a purchase made after the cancellation, nor another customer's or product's", () => {
    const purchases = [purchase(1, 50, 5), purchase(2, 10, 5, 2), purchase(3, 10, 5, 1, "B")];
    expect(matchReturns(purchases, [cancel(9, 30, 5)])).toEqual([]);
  });

  it("matches no more units than were bought, and later cancellations get what is left", () => {
    const matches = matchReturns([purchase(1, 10, 6)], [cancel(8, 20, 4), cancel(9, 30, 4)]);
    expect(matches).toEqual([
      {purchase: 1, cancellation: 8, quantity: 4},
      {purchase: 1, cancellation: 9, quantity: 2}
    ]);
  });

  it("counts a purchase at the same minute as the cancellation as earlier", () => {
    expect(matchReturns([purchase(1, 10, 2)], [cancel(2, 10, 2)])).toEqual([{purchase: 1, cancellation: 2, quantity: 2}]);
  });
});
