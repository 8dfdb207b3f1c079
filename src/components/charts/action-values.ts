import * as Plot from "../vendor/plot.js";
import {chartWidth, figure} from "./figure.js";

export interface ActionValue {
  key: string;
  label: string;
  /** Pounds. */
  value: number;
  count: number;
  unit: string;
  /** What the value is (each item's value means something different). */
  meaning: string;
}

const compact = new Intl.NumberFormat("en-GB", {notation: "compact", maximumFractionDigits: 1});

/** The action items' values as bars, largest first, each labelled with what the value means. */
export function actionValueChart(items: readonly ActionValue[], {width: containerWidth}: {width: number}): HTMLElement {
  const width = chartWidth(containerWidth);
  const rows = [...items].sort((a, b) => b.value - a.value);
  const narrow = width < 600;
  return figure(
    "action-values",
    "What each item is worth (£)",
    rows.length === 0
      ? null
      : Plot.plot({
          width,
          height: 44 * rows.length + 40,
          marginLeft: narrow ? 10 : 170,
          marginRight: 70,
          x: {grid: true, label: "£ →", tickFormat: "~s"},
          y: {
            domain: rows.map((row) => row.key),
            label: null,
            padding: 0.5,
            tickFormat: narrow ? () => "" : (key: string) => rows.find((row) => row.key === key)!.label
          },
          marks: [
            Plot.barX(rows, {
              x: "value",
              y: "key",
              fill: "var(--theme-foreground-focus)",
              fillOpacity: 0.85,
              tip: true,
              title: (row: ActionValue) =>
                `${row.label}: £${Math.round(row.value).toLocaleString("en-GB")} (${row.meaning}); ${row.count.toLocaleString("en-GB")} ${row.unit}`
            }),
            Plot.text(rows, {x: "value", y: "key", text: (row: ActionValue) => `£${compact.format(row.value)}`, dx: 4, textAnchor: "start"}),
            // The meaning under each bar's label, so the bars are not read as one currency of the same thing.
            Plot.text(rows, {
              x: 0,
              y: "key",
              text: (row: ActionValue) => (narrow ? row.label : `${row.count.toLocaleString("en-GB")} ${row.unit}, ${row.meaning}`),
              dy: 17,
              dx: 2,
              textAnchor: "start",
              fill: "var(--theme-foreground-muted)",
              fontSize: 10,
              lineWidth: Math.floor((width - 20) / 6)
            }),
            Plot.ruleX([0])
          ]
        }),
    {empty: "Nothing to do this week."}
  );
}
