import {kmeans as referenceKMeans} from "ml-kmeans";
import {describe, expect, it} from "vitest";
import {gaussian, mulberry32} from "../../../models/random.js";
import {segmentCustomers} from "../../../models/segmentation/fit.js";
import {segmentationModel, type SegmentationArtefact} from "../../../models/segmentation/index.js";
import {fitKMeans} from "../../../models/segmentation/kmeans.js";
import {nameSegments} from "../../../models/segmentation/naming.js";
import {adjustedRandIndex} from "../../../models/segmentation/rand-index.js";
import {scaleColumns} from "../../../models/segmentation/scale.js";
import {silhouette, silhouetteSamples, silhouetteSamplesMany} from "../../../models/segmentation/silhouette.js";

/** `perBlob` points around each centre (row-major, 2-D), with their blob as the true label. */
function blobs(centres: number[][], perBlob: number, spread: number, seed: number) {
  const random = mulberry32(seed);
  const points = new Float64Array(centres.length * perBlob * 2);
  const truth: number[] = [];
  centres.forEach(([x, y], blob) => {
    for (let i = 0; i < perBlob; i++) {
      const at = (blob * perBlob + i) * 2;
      points[at] = x + spread * gaussian(random);
      points[at + 1] = y + spread * gaussian(random);
      truth.push(blob);
    }
  });
  return {points, truth};
}

/** Sum of squared distances of the points to the means of their clusters. */
function inertiaOf(points: Float64Array, dimensions: number, labels: readonly number[], k: number): number {
  let inertia = 0;
  for (let c = 0; c < k; c++) {
    const rows = labels.flatMap((label, i) => (label === c ? [i] : []));
    for (let d = 0; d < dimensions; d++) {
      const mean = rows.reduce((sum, i) => sum + points[i * dimensions + d], 0) / rows.length;
      inertia += rows.reduce((sum, i) => sum + (points[i * dimensions + d] - mean) ** 2, 0);
    }
  }
  return inertia;
}

/** The lowest inertia over every labeling of the points into k non-empty clusters (k^n of them). */
function bruteForce(points: Float64Array, dimensions: number, k: number) {
  const n = points.length / dimensions;
  let best = {inertia: Number.POSITIVE_INFINITY, labels: [] as number[]};
  for (let code = 0; code < k ** n; code++) {
    const labels = Array.from({length: n}, (_, i) => Math.floor(code / k ** i) % k);
    if (new Set(labels).size < k) continue;
    const inertia = inertiaOf(points, dimensions, labels, k);
    if (inertia < best.inertia) best = {inertia, labels};
  }
  return best;
}

describe("k-means", () => {
  it("recovers well-separated blobs exactly, numbering clusters by size", () => {
    const {points, truth} = blobs(
      [
        [0, 0],
        [10, 0],
        [0, 10]
      ],
      50,
      0.5,
      1
    );
    // Make blob 2 the largest by adding points at its centre.
    const extra = Float64Array.from([0, 10, 0.1, 10, 0, 10.1]);
    const all = new Float64Array([...points, ...extra]);
    const fit = fitKMeans(all, 2, {k: 3, seed: 7});
    expect(adjustedRandIndex(fit.labels, [...truth, 2, 2, 2])).toBe(1);
    expect(fit.sizes).toEqual([53, 50, 50]);
    expect(fit.converged).toBe(true);
    // Centroids are the means of their points.
    const members = fit.labels.flatMap((label, i) => (label === 0 ? [i] : []));
    expect(fit.centroids[0][0]).toBeCloseTo(members.reduce((sum, i) => sum + all[2 * i], 0) / members.length, 12);
  });

  it("ends at a fixed point: every point is nearest its own centroid", () => {
    const random = mulberry32(3);
    const points = Float64Array.from({length: 300 * 3}, () => gaussian(random));
    const fit = fitKMeans(points, 3, {k: 5, seed: 1});
    for (let i = 0; i < 300; i++) {
      const distances = fit.centroids.map((centroid) => centroid.reduce((sum, value, d) => sum + (points[i * 3 + d] - value) ** 2, 0));
      expect(distances[fit.labels[i]]).toBeLessThanOrEqual(Math.min(...distances) + 1e-12);
    }
  });

  it("finds the brute-force optimum of a small set where single starts stop at local optima, as ml-kmeans does", () => {
    const random = mulberry32(4);
    const points = Float64Array.from({length: 20}, () => Math.round(random() * 100) / 10);
    const optimum = bruteForce(points, 2, 3);
    const fit = fitKMeans(points, 2, {k: 3, seed: 1, restarts: 10});
    expect(Math.abs(fit.inertia - optimum.inertia) / optimum.inertia).toBeLessThan(1e-9);
    expect(adjustedRandIndex(fit.labels, optimum.labels)).toBe(1);
    // One start is not enough here: the best of the restarts is what finds the optimum.
    expect(fitKMeans(points, 2, {k: 3, seed: 1, restarts: 1}).inertia).toBeGreaterThan(optimum.inertia * (1 + 1e-6));
    // The library's k-means++, best of 10 seeded starts, reaches the same optimum.
    const rows = Array.from({length: 10}, (_, i) => [points[2 * i], points[2 * i + 1]]);
    const starts = Array.from({length: 10}, (_, seed) => referenceKMeans(rows, 3, {initialization: "kmeans++", seed, maxIterations: 300, tolerance: 0}));
    const reference = Math.min(...starts.map((start) => inertiaOf(points, 2, start.clusters, 3)));
    expect(Math.abs(reference - optimum.inertia) / optimum.inertia).toBeLessThan(1e-9);
  });

  it("agrees with ml-kmeans (k-means++) and is deterministic for a seed", () => {
    const {points} = blobs(
      [
        [0, 0],
        [4, 0],
        [0, 4],
        [4, 4]
      ],
      80,
      1.2,
      5
    );
    const ours = fitKMeans(points, 2, {k: 4, seed: 11});
    const rows = Array.from({length: points.length / 2}, (_, i) => [points[2 * i], points[2 * i + 1]]);
    // The library's labels come from the step before its last centroid update: relabel with its centroids.
    const reference = referenceKMeans(rows, 4, {initialization: "kmeans++", seed: 11, maxIterations: 300, tolerance: 1e-12});
    const referenceLabels = reference.nearest(rows);
    expect(adjustedRandIndex(ours.labels, referenceLabels)).toBe(1);
    expect(fitKMeans(points, 2, {k: 4, seed: 11})).toEqual(ours);
  });

  it("numbers equal-sized clusters by their centroids", () => {
    // Two clusters of two points, listed right one first: label 0 is the one with the lower x.
    const pairs = fitKMeans(Float64Array.from([10, 0, 10, 1, 0, 0, 0, 1]), 2, {k: 2, seed: 3});
    expect(pairs.labels).toEqual([1, 1, 0, 0]);
    expect(pairs.centroids).toEqual([
      [0, 0.5],
      [10, 0.5]
    ]);
    expect(pairs.inertia).toBe(1);
  });

  it("rejects bad options with the value", () => {
    expect(() => fitKMeans(new Float64Array(8), 2, {k: 0})).toThrow("invalid k; not a positive integer: 0");
    expect(() => fitKMeans(new Float64Array(8), 2, {k: 5})).toThrow("invalid k; more clusters than points (4): 5");
  });
});

describe("silhouette", () => {
  it("matches a hand computation", () => {
    // Points 0, 1 | 4, 5 on a line. s(0) = (4.5 − 1) / 4.5, s(1) = (3.5 − 1) / 3.5, and symmetric.
    const points = Float64Array.from([0, 1, 4, 5]);
    const expected = (3.5 / 4.5 + 2.5 / 3.5) / 2;
    expect(silhouette(points, 1, [0, 0, 1, 1], 2)).toBeCloseTo(expected, 12);
    // A point alone in its cluster scores 0.
    expect(Array.from(silhouetteSamples(points, 1, [0, 1, 1, 1], 2))[0]).toBe(0);
  });

  it("scores several labelings in one pass exactly as one at a time", () => {
    const random = mulberry32(9);
    const points = Float64Array.from({length: 90}, () => random());
    const labelings = [2, 3, 4].map((k) => ({k, labels: Array.from({length: 30}, (_, i) => i % k)}));
    const together = silhouetteSamplesMany(points, 3, labelings);
    labelings.forEach(({labels, k}, m) => expect(Array.from(together[m])).toEqual(Array.from(silhouetteSamples(points, 3, labels, k))));
  });
});

describe("adjusted Rand index", () => {
  it("matches known values", () => {
    expect(adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0])).toBe(1);
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(0.5714285714285715, 12);
    expect(adjustedRandIndex([0, 0, 0, 0], [0, 1, 2, 3])).toBe(0);
    expect(adjustedRandIndex([0, 0, 1, 2], [0, 0, 1, 1])).toBeCloseTo(0.5714285714285715, 12);
  });
});

describe("scaling and naming", () => {
  it("standardises log-scaled columns", () => {
    const {points, scalings} = scaleColumns([[0, Math.E - 1, Math.E ** 2 - 1]], [true]);
    expect(scalings[0].mean).toBeCloseTo(1, 12);
    expect(Array.from(points).map((value) => +value.toFixed(12))).toEqual([-1.224744871392, 0, 1.224744871392]);
  });

  it("names segments from their centroids by the documented grid", () => {
    const names = nameSegments([
      [0.96, -0.77, -0.77],
      [0.07, 0.35, 0.52],
      [-0.73, -0.46, -0.47],
      [-1.27, 1.65, 1.36],
      [-1.5, 2, 2]
    ]);
    expect(names.map((segment) => segment.name)).toEqual(["Lapsed low value", "Mid value regulars", "New buyers", "High value loyal 2", "High value loyal"]);
    expect(names[3].naming).toBe("recency z -1.27 (recent), value z 1.50 (high: frequency 1.65, monetary 1.36)");
  });
});

describe("segmentCustomers", () => {
  it("finds planted customer groups and reports the comparison, stability and hold-out", () => {
    // Three planted groups: recent frequent big spenders, lapsed one-timers, and in between.
    const random = mulberry32(4);
    const recency: number[] = [];
    const frequency: number[] = [];
    const monetary: number[] = [];
    const truth: number[] = [];
    [
      [5, 30, 8000],
      [250, 1, 80],
      [60, 5, 900]
    ].forEach(([r, f, m], group) => {
      for (let i = 0; i < 120; i++) {
        recency.push(Math.round(r * Math.exp(0.2 * gaussian(random))));
        frequency.push(Math.max(1, Math.round(f * Math.exp(0.2 * gaussian(random)))));
        monetary.push(m * Math.exp(0.2 * gaussian(random)));
        truth.push(group);
      }
    });
    const result = segmentCustomers({recency, frequency, monetary}, {k: 3, kRange: [2, 5]});
    expect(adjustedRandIndex(result.labels, truth)).toBe(1);
    expect(result.byK.filter((row) => row.features === "log_rfm_standardised").map((row) => row.k)).toEqual([2, 3, 4, 5]);
    expect(result.byK.find((row) => row.chosen)).toMatchObject({k: 3, silhouette: result.silhouette});
    expect(result.stability.ari).toEqual([1, 1, 1, 1]);
    expect(result.holdout.ari).toBe(1);
    expect(new Set(result.profiles.map((profile) => profile.name))).toEqual(new Set(["High value loyal", "Lapsed low value", "Average regulars"]));
    expect(result.silhouetteCustomers).toBe(360);

    // Above `silhouetteSample` customers the silhouettes are estimated on a seeded sample: same segments,
    // the same sample for every k, close to the exact values, and deterministic.
    const sampled = segmentCustomers({recency, frequency, monetary}, {k: 3, kRange: [2, 5], silhouetteSample: 120});
    expect(sampled.silhouetteCustomers).toBe(120);
    expect(sampled.labels).toEqual(result.labels);
    expect(Math.abs(sampled.silhouette - result.silhouette)).toBeLessThan(0.03);
    expect(sampled.silhouette).not.toBe(result.silhouette);
    sampled.byK.forEach((row, i) => expect(Math.abs(row.silhouette - result.byK[i].silhouette), `k = ${row.k} ${row.features}`).toBeLessThan(0.05));
    expect(segmentCustomers({recency, frequency, monetary}, {k: 3, kRange: [2, 5], silhouetteSample: 120})).toEqual(sampled);
    expect(() => segmentCustomers({recency, frequency, monetary}, {silhouetteSample: 1})).toThrow("invalid silhouetteSample; not an integer of at least 2: 1");
  });
});

describe("the segmentation model", () => {
  it("refuses bad options with the value, and unknown ones with the known", () => {
    expect(segmentationModel.options({k: 3})).toEqual({...segmentationModel.defaults, k: 3});
    expect(() => segmentationModel.options({k: 0})).toThrow("invalid k; not an integer of at least 2: 0");
    expect(() => segmentationModel.options({kRange: [5, 2]})).toThrow("invalid kRange; expected integers [low, high] with 2 ≤ low ≤ high: [5,2]");
    expect(() => segmentationModel.options({holdoutShare: 1})).toThrow("invalid holdoutShare; not a number strictly between 0 and 1: 1");
    expect(() => segmentationModel.options({ks: 3} as never)).toThrow(
      "invalid segmentation option; unknown: ks (options: k, kRange, seed, restarts, stabilitySeeds, holdoutShare, silhouetteSample)"
    );
  });

  it("scores with the fitted scaler and the nearest fitted centroid", () => {
    // log1p(e^a − 1) = a: with mean 0 and sd 1 a customer's coordinates are the exponents.
    const raw = (a: number) => Math.expm1(a);
    const artefact: SegmentationArtefact = {
      k: 2,
      customers: 10,
      scalings: [0, 1, 2].map(() => ({log: true, mean: 0, sd: 1})),
      segments: [
        {id: 0, name: "Low", naming: "low", size: 6, centroid: [0, 0, 0], centroidRaw: [0, 0, 0], silhouette: 0.5},
        {id: 1, name: "High", naming: "high", size: 4, centroid: [2, 2, 2], centroidRaw: [raw(2), raw(2), raw(2)], silhouette: 0.25}
      ],
      byK: []
    };
    const {segments, profiles} = segmentationModel.score(artefact, {
      customer_id: [7, 8, 9],
      recency_days: [raw(0.5), raw(1.5), raw(0.5)],
      frequency: [raw(0.5), raw(1.5), raw(0.5)],
      // Negative spend counts as 0 (coordinate 0).
      monetary: [raw(0.5), raw(1.5), -20]
    });
    expect(segments.map((row) => [row.customer_id, row.segment_id, row.segment, row.monetary_z])).toEqual([
      [7, 0, "Low", 0.5],
      [8, 1, "High", 1.5],
      [9, 0, "Low", 0]
    ]);
    // (0.5, 0.5, 0.5) is √0.75 from (0, 0, 0); (1.5, 1.5, 1.5) is √0.75 from (2, 2, 2); (0.5, 0.5, 0) is √0.5.
    expect(segments.map((row) => row.distance_to_centroid)).toEqual([Math.sqrt(0.75), Math.sqrt(0.75), Math.sqrt(0.5)].map((d) => expect.closeTo(d, 12)));
    // Profiles: today's members with the fitted centroid and silhouette.
    expect(
      profiles.map(({customers, customer_share, revenue, median_frequency, silhouette}) => ({customers, customer_share, revenue, median_frequency, silhouette}))
    ).toEqual([
      {customers: 2, customer_share: 2 / 3, revenue: raw(0.5) - 20, median_frequency: raw(0.5), silhouette: 0.5},
      {customers: 1, customer_share: 1 / 3, revenue: raw(1.5), median_frequency: raw(1.5), silhouette: 0.25}
    ]);
  });

  it("gives the fitted customers their fitted segments, and publishes the fit's comparison by k", () => {
    const random = mulberry32(4);
    const recency: number[] = [];
    const frequency: number[] = [];
    const monetary: number[] = [];
    [
      [5, 30, 8000],
      [250, 1, 80],
      [60, 5, 900]
    ].forEach(([r, f, m]) => {
      for (let i = 0; i < 40; i++) {
        recency.push(Math.round(r * Math.exp(0.2 * gaussian(random))));
        frequency.push(Math.max(1, Math.round(f * Math.exp(0.2 * gaussian(random)))));
        monetary.push(m * Math.exp(0.2 * gaussian(random)));
      }
    });
    const config = {k: 3, kRange: [2, 4] as [number, number]};
    const reference = segmentCustomers({recency, frequency, monetary}, config);
    const {artefact, metrics} = segmentationModel.fit({recency, frequency, monetary}, config);
    expect(artefact.segments).toEqual(reference.profiles);
    expect(metrics.find((row) => row.metric === "silhouette" && row.role === "published")?.value).toBe(reference.silhouette);
    const {segments, silhouettes} = segmentationModel.score(artefact, {customer_id: recency.map((_, i) => i), recency_days: recency, frequency, monetary});
    expect(segments.map((row) => row.segment_id)).toEqual(reference.labels);
    expect(segments.map((row) => row.recency_z)).toEqual(reference.coordinates.filter((_, i) => i % 3 === 0));
    expect(segments.map((row) => row.distance_to_centroid)).toEqual(reference.distances);
    expect(silhouettes.filter((row) => row.features === "log_rfm_standardised").map((row) => row.k)).toEqual([2, 3, 4]);
  });
});
