/**
 * Reshaping the filtered daily snapshot (`daily_sales` with a `day` column) into what the charts draw.
 */
import * as aq from "./arquero.js";
import type {DailyRevenue} from "./charts/revenue-trend.js";
import type {MonthlyRevenue} from "./charts/year-month.js";
import type {Filters} from "./url-state.js";

const {op} = aq;

/** Revenue (`column`: revenue or net_revenue) per trading day, with the average of the last seven trading days (the trend line). */
export function revenueByDay(daily: aq.ColumnTable, column = "revenue"): DailyRevenue[] {
  const days = daily
    .groupby("day")
    .rollup({date: op.min("date"), revenue: op.sum(column), partial: op.max("is_partial")})
    .orderby("day")
    .objects()
    .map((row: Record<string, any>) => ({date: row.date as Date, revenue: row.revenue as number, average: 0, partial: Boolean(row.partial)}));
  // A running window (Plot's windowY transform costs more than everything else on a filter change).
  let sum = 0;
  days.forEach((day, i) => {
    sum += day.revenue - (i >= 7 ? days[i - 7]!.revenue : 0);
    day.average = sum / Math.min(i + 1, 7);
  });
  return days;
}

export function revenueByCountry(daily: aq.ColumnTable, column = "revenue"): {country: string; revenue: number}[] {
  return daily
    .groupby("country")
    .rollup({revenue: op.sum(column)})
    .orderby(aq.desc("revenue"))
    .objects() as {country: string; revenue: number}[];
}

/**
 * Revenue per calendar month; a month is partial when the filters or the data's end cut it (the last
 * day of the data may itself be incomplete).
 */
export function revenueByMonth(
  daily: aq.ColumnTable,
  filters: Pick<Filters, "from" | "to">,
  data: {first: string; last: string},
  column = "revenue"
): MonthlyRevenue[] {
  const from = filters.from && filters.from > data.first ? filters.from : data.first;
  const to = filters.to && filters.to < data.last ? filters.to : data.last;
  return daily
    .derive({month_key: aq.escape((d: {day: string}) => d.day.slice(0, 7))})
    .groupby("month_key")
    .rollup({revenue: op.sum(column)})
    .orderby("month_key")
    .objects()
    .map((row: Record<string, any>) => {
      const key = row.month_key as string;
      const start = `${key}-01`;
      const end = new Date(Date.UTC(Number(key.slice(0, 4)), Number(key.slice(5, 7)), 0)).toISOString().slice(0, 10);
      return {
        year: Number(key.slice(0, 4)),
        month: Number(key.slice(5, 7)),
        revenue: row.revenue as number,
        partial: start < from || end > to || end >= data.last
      };
    });
}

/**
 * Countries by total revenue (the filter bar's order, net when the table has `net_revenue`) with that
 * revenue, and the first and last day of the data.
 */
export function dataExtent(daily: aq.ColumnTable): {countries: string[]; countryRevenue: Record<string, number>; first: string; last: string} {
  const column = daily.columnNames().includes("net_revenue") ? "net_revenue" : "revenue";
  const totals = daily
    .groupby("country")
    .rollup({revenue: op.sum(column)})
    .orderby(aq.desc("revenue"))
    .objects() as {country: string; revenue: number}[];
  const countries = totals.map((row) => row.country);
  const countryRevenue = Object.fromEntries(totals.map((row) => [row.country, row.revenue]));
  const days = daily.array("day") as string[];
  let first = days[0]!;
  let last = days[0]!;
  for (const day of days) {
    if (day < first) first = day;
    if (day > last) last = day;
  }
  return {countries, countryRevenue, first, last};
}
