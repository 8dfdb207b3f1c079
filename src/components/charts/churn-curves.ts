import * as Plot from "../vendor/plot.js";
import {chartWidth, figure} from "./figure.js";

/** One point of `churn_curves`. */
export interface CurvePoint {
  method: string;
  curve: string;
  point: number;
  threshold: number | null;
  x: number | null;
  y: number | null;
  cases: number | null;
}

export interface CurveOptions {
  width: number;
  /** Methods in legend order, and how to name them. */
  methods: readonly string[];
  labels?: Record<string, string>;
  name?: string;
  title?: string;
}

const square = (width: number) => Math.min(chartWidth(width), 520);
const colorScale = (methods: readonly string[], labels: Record<string, string>) => ({
  legend: true,
  domain: methods.map((method) => labels[method] ?? method),
  range: ["var(--theme-foreground-focus)", "#e39f3a", "var(--theme-foreground-muted)"]
});

/** ROC curves of each method on the held-out customers, with the diagonal of a random ranking. */
export function rocCurves(points: readonly CurvePoint[], options: CurveOptions): HTMLElement {
  const {methods, labels = {}, name = "churn-roc", title = "ROC curves on the held-out customers"} = options;
  const rows = points.filter((d) => d.curve === "roc" && d.x !== null).map((d) => ({...d, label: labels[d.method] ?? d.method}));
  const width = square(options.width);
  return figure(
    name,
    title,
    rows.length === 0
      ? null
      : Plot.plot({
          width,
          height: width,
          grid: true,
          marginLeft: 50,
          x: {label: "False-positive rate (stayers flagged) →", domain: [0, 1]},
          y: {label: "↑ True-positive rate (churners caught)", domain: [0, 1]},
          color: colorScale(methods, labels),
          marks: [
            Plot.line(
              [
                [0, 0],
                [1, 1]
              ],
              {stroke: "var(--theme-foreground-faint)", strokeDasharray: "4,3"}
            ),
            Plot.line(rows, {x: "x", y: "y", stroke: "label", z: "label"}),
            Plot.tip(rows, Plot.pointer({x: "x", y: "y", stroke: "label", channels: {threshold: "threshold"}}))
          ]
        }),
    {empty: "No ROC points in the snapshot."}
  );
}

/**
 * The reliability (calibration) curve: in each bin of predicted probability, the share of held-out
 * customers who did churn; on the diagonal a probability means what it says. Dots are sized by the
 * customers in the bin (empty bins are left out).
 */
export function reliabilityChart(points: readonly CurvePoint[], options: CurveOptions): HTMLElement {
  const {methods, labels = {}, name = "churn-calibration", title = "Calibration: predicted probability against observed churn"} = options;
  const rows = points
    .filter((d) => d.curve === "calibration" && d.x !== null && d.y !== null && (d.cases ?? 0) > 0)
    .map((d) => ({...d, label: labels[d.method] ?? d.method}));
  const width = square(options.width);
  return figure(
    name,
    title,
    rows.length === 0
      ? null
      : Plot.plot({
          width,
          height: width,
          grid: true,
          marginLeft: 50,
          x: {label: "Mean predicted probability of the bin →", domain: [0, 1]},
          y: {label: "↑ Observed churn rate", domain: [0, 1]},
          color: colorScale(methods, labels),
          r: {range: [2, 9]},
          marks: [
            Plot.line(
              [
                [0, 0],
                [1, 1]
              ],
              {stroke: "var(--theme-foreground-faint)", strokeDasharray: "4,3"}
            ),
            Plot.line(rows, {x: "x", y: "y", stroke: "label", z: "label"}),
            Plot.dot(rows, {
              x: "x",
              y: "y",
              stroke: "label",
              fill: "var(--theme-background)",
              r: "cases",
              tip: true,
              channels: {customers: "cases", "bin from": "threshold"}
            })
          ]
        }),
    {empty: "No calibration points in the snapshot."}
  );
}

/** Precision against recall: how pure the flagged customers stay as more churners are caught. */
export function precisionRecallCurves(points: readonly CurvePoint[], options: CurveOptions & {baseRate?: number}): HTMLElement {
  const {methods, labels = {}, baseRate, name = "churn-pr", title = "Precision–recall on the held-out customers"} = options;
  const rows = points.filter((d) => d.curve === "pr" && d.x !== null).map((d) => ({...d, label: labels[d.method] ?? d.method}));
  const width = square(options.width);
  return figure(
    name,
    title,
    rows.length === 0
      ? null
      : Plot.plot({
          width,
          height: width,
          grid: true,
          marginLeft: 50,
          x: {label: "Recall (churners caught) →", domain: [0, 1]},
          y: {label: "↑ Precision (flagged who churn)", domain: [0, 1]},
          color: colorScale(methods, labels),
          marks: [
            baseRate === undefined ? null : Plot.ruleY([baseRate], {stroke: "var(--theme-foreground-faint)", strokeDasharray: "4,3"}),
            Plot.line(rows, {x: "x", y: "y", stroke: "label", z: "label"}),
            Plot.tip(rows, Plot.pointer({x: "x", y: "y", stroke: "label", channels: {threshold: "threshold"}}))
          ]
        }),
    {empty: "No precision–recall points in the snapshot."}
  );
}
