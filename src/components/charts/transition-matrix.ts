import * as Plot from "../vendor/plot.js";
import {chartWidth, figure} from "./figure.js";

/** How many customers moved from one group to another. */
export interface Transition {
  from: string;
  to: string;
  customers: number;
  /** customers / all customers of `from` (0–1). */
  share: number;
}

export interface TransitionMatrixOptions {
  width: number;
  name: string;
  title: string;
  /** Row (from) and column (to) orders. */
  fromDomain: readonly string[];
  toDomain: readonly string[];
  /** Axis labels. */
  fromLabel?: string;
  toLabel?: string;
}

/**
 * A from × to matrix: each cell coloured by the share of its row that made the move, labelled with the
 * customers. The diagonal (stayed put) is outlined.
 */
export function transitionMatrix(transitions: readonly Transition[], options: TransitionMatrixOptions): HTMLElement {
  const {name, title, fromDomain, toDomain, fromLabel = "From", toLabel = "To"} = options;
  const width = chartWidth(options.width);
  return figure(
    name,
    title,
    transitions.length === 0
      ? null
      : Plot.plot({
          width,
          height: 26 * fromDomain.length + 130,
          marginLeft: 140,
          marginBottom: 100,
          padding: 0.04,
          x: {type: "band", domain: toDomain as string[], label: toLabel, tickRotate: -35},
          y: {type: "band", domain: fromDomain as string[], label: fromLabel},
          color: {type: "linear", domain: [0, 1], scheme: "blues", legend: true, label: "Share of the row", tickFormat: "%"},
          marks: [
            Plot.cell(transitions, {
              x: "to",
              y: "from",
              fill: "share",
              tip: true,
              channels: {Customers: "customers", Share: (d: Transition) => `${(100 * d.share).toFixed(1)}%`}
            }),
            Plot.cell(
              transitions.filter((d) => d.from === d.to),
              {x: "to", y: "from", stroke: "var(--theme-foreground)", strokeWidth: 1.5, fill: "none"}
            ),
            Plot.text(transitions, {
              x: "to",
              y: "from",
              text: (d: Transition) => d.customers.toLocaleString("en-GB"),
              fill: (d: Transition) => (d.share > 0.5 ? "white" : "var(--theme-foreground)"),
              fontSize: 11
            })
          ]
        })
  );
}
