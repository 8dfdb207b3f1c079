import {describe, expect, it} from "vitest";
import {applyPlatt, fitPlatt} from "../../../models/churn/calibration.js";
import {fitLogistic, predictLogistic, solveSymmetric} from "../../../models/logistic.js";
import {gaussian, mulberry32, sigmoidOf} from "./helpers.js";

describe("logistic regression", () => {
  it("fits a binary feature exactly: the probabilities are the group rates", () => {
    // x = 0: 1 positive in 4; x = 1: 3 positives in 4.
    const x = [0, 0, 0, 0, 1, 1, 1, 1];
    const y = [1, 0, 0, 0, 1, 1, 1, 0];
    const model = fitLogistic([x], y, {l2: 0});
    expect(model.converged).toBe(true);
    const [p0, p1] = predictLogistic(model, [[0, 1]]);
    expect(p0).toBeCloseTo(0.25, 10);
    expect(p1).toBeCloseTo(0.75, 10);
  });

  it("solves the penalised score equations", () => {
    const random = mulberry32(5);
    const columns = [0, 1, 2].map(() => Float64Array.from({length: 400}, () => gaussian(random)));
    const labels = Array.from({length: 400}, (_, i) => Number(random() < sigmoidOf(1.5 * columns[0][i] - columns[1][i])));
    const l2 = 3;
    const model = fitLogistic(columns, labels, {l2});
    // Gradient of the penalised log-likelihood in the standardised space is zero at the optimum.
    const p = predictLogistic(model, columns);
    const gradient = [0, 0, 0, 0];
    for (let i = 0; i < 400; i++) {
      const residual = labels[i] - p[i];
      gradient[0] += residual;
      columns.forEach((column, f) => (gradient[f + 1] += ((column[i] - model.means[f]) / model.sds[f]) * residual));
    }
    model.coefficients.forEach((beta, f) => (gradient[f + 1] -= l2 * beta));
    for (const value of gradient) expect(Math.abs(value)).toBeLessThan(1e-8);
    // The planted signs come back; the noise feature is near 0.
    expect(model.coefficients[0]).toBeGreaterThan(1);
    expect(model.coefficients[1]).toBeLessThan(-0.5);
    expect(Math.abs(model.coefficients[2])).toBeLessThan(0.3);
  });

  it("solves symmetric systems and refuses singular ones", () => {
    expect(Array.from(solveSymmetric(Float64Array.from([4, 2, 2, 3]), Float64Array.from([2, 1]), 2))).toEqual([0.5, 0]);
    expect(() => solveSymmetric(Float64Array.from([1, 1, 1, 1]), Float64Array.from([1, 1]), 2)).toThrow("matrix is not positive definite");
  });
});

describe("Platt scaling", () => {
  it("recovers a known miscalibration", () => {
    // True probability σ(2·logit(s)): scores are under-confident by a factor 2 in log-odds.
    const random = mulberry32(8);
    const scores = Float64Array.from({length: 20000}, () => 0.05 + 0.9 * random());
    const labels = Array.from(scores, (s) => Number(random() < sigmoidOf(2 * Math.log(s / (1 - s)))));
    const platt = fitPlatt(scores, labels);
    expect(platt.slope).toBeCloseTo(2, 0);
    expect(Math.abs(platt.intercept)).toBeLessThan(0.1);
    expect(applyPlatt(platt, [0.5])[0]).toBeCloseTo(0.5, 1);
  });
});
