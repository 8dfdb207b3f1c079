/**
 * The one filter control of the site: a searchable country picker (see country-picker.ts), an en-GB date
 * range with presets (the active one highlighted), an optional Net/Gross revenue switch, and a strip of
 * the active filters (each a chip with ×, and "Clear all") that also links to the other pages sharing the
 * filter. Its value is a `Filters` object, kept in the URL (see url-state.ts): a change pushes a history
 * entry, back/forward restore it, a reload or a shared link opens the same view.
 *
 *   const filterInput = filterBar(extent, {measure: true});   // extent = dataExtent(daily)
 *   const filters = view(filterInput);
 *   filterInput.toggle("countries", "France");                 // click-to-filter from a chart
 */
import {html} from "htl";
import {chip, countryPicker, describeCountries} from "./country-picker.js";
import {formatDayNumeric, formatIsoDay, parseDayGB} from "./format.js";
import {addDays, addMonths, filtersToSearch, NO_FILTERS, parseFilters, sameFilters, type Filters, type Measure} from "./url-state.js";
import {onPopState} from "./popstate.js";

export interface FilterBarOptions {
  /** Countries to offer, in display order (e.g. by revenue). */
  countries: readonly string[];
  /** Each country's revenue, shown beside it in the picker. */
  countryRevenue?: Readonly<Record<string, number>>;
  /** First and last day of the data (`YYYY-MM-DD`): the presets count back from `last`. */
  first: string;
  last: string;
  /** Show the Net/Gross revenue switch. Default: false (the value's `measure` stays "net"). */
  measure?: boolean;
  /** Names to show on product chips, by stock code. */
  productNames?: Readonly<Record<string, string>>;
  /** Keep the filters in the URL. Default: true. */
  url?: boolean;
  /** The cell's `invalidation` promise, to stop following back/forward when the cell re-runs (see popstate.ts). */
  invalidation?: Promise<unknown>;
}

export interface Preset {
  label: string;
  range(first: string, last: string): {from: string | null; to: string | null};
}

/** Date presets, relative to the last day of the data (not today: the shipped data ends in 2011). */
export const DATE_PRESETS: readonly Preset[] = [
  {label: "All", range: () => ({from: null, to: null})},
  {label: "Last 30 days", range: (_first, last) => ({from: addDays(last, -29), to: last})},
  {label: "Last 90 days", range: (_first, last) => ({from: addDays(last, -89), to: last})},
  {label: "Last 12 months", range: (_first, last) => ({from: addDays(addMonths(last, -12), 1), to: last})},
  {label: "Year to date", range: (_first, last) => ({from: `${last.slice(0, 4)}-01-01`, to: last})},
  {label: "Previous year", range: (_first, last) => ({from: `${Number(last.slice(0, 4)) - 1}-01-01`, to: `${Number(last.slice(0, 4)) - 1}-12-31`})}
];

/** The pages whose charts follow this filter (the strip links to them with the same filter). */
export const FILTER_PAGES: readonly {name: string; path: string}[] = [
  {name: "Overview", path: "./"},
  {name: "Sales", path: "./sales"},
  {name: "Products", path: "./products"},
  {name: "Anomalies", path: "./anomalies"}
];

/** The preset whose range is exactly `from`–`to`, if any. */
export function activePreset(filters: Pick<Filters, "from" | "to">, first: string, last: string): Preset | undefined {
  return DATE_PRESETS.find((preset) => {
    const range = preset.range(first, last);
    return range.from === filters.from && range.to === filters.to;
  });
}

export type FilterBar = HTMLFormElement & {
  value: Filters;
  /** Adds a country or product to the selection, or removes it if selected (click-to-filter). */
  toggle(kind: "countries" | "products", value: string): void;
  /** Names for the product chips, by stock code (e.g. once a query has them). */
  nameProducts(names: Readonly<Record<string, string>>): void;
};

export function filterBar(options: FilterBarOptions): FilterBar {
  const {countries, countryRevenue, first, last, measure: showMeasure = false, url = true} = options;
  const productNames: Record<string, string> = {...options.productNames};
  const known = new Set(countries);
  const fromUrl = (): Filters => {
    const filters = parseFilters(location.search);
    return {...filters, countries: filters.countries.filter((country) => known.has(country)), measure: showMeasure ? filters.measure : "net"};
  };
  let value: Filters = url ? fromUrl() : {...NO_FILTERS};

  const picker = countryPicker(countries, {value: value.countries, revenue: countryRevenue, chips: false});
  const dateBox = (name: "from" | "to", label: string) =>
    html`<input type="text" name=${name} inputmode="numeric" placeholder="dd/mm/yyyy" aria-label=${label} size="10" autocomplete="off">` as HTMLInputElement;
  const fromInput = dateBox("from", "From (day/month/year)");
  const toInput = dateBox("to", "To (day/month/year)");
  const dateError = html`<span class="filter-bar__error" role="alert"></span>` as HTMLElement;
  const presets = DATE_PRESETS.map((preset) => {
    const button = html`<button type="button" data-preset=${preset.label}>${preset.label}</button>` as HTMLButtonElement;
    button.onclick = () => commit({...value, ...preset.range(first, last)});
    return button;
  });
  const measureButtons = (["net", "gross"] as const).map((measure) => {
    const button =
      html`<button type="button" data-measure=${measure} title=${measure === "net" ? "Revenue minus the part later cancelled" : "Revenue as ordered, before cancellations"}>${measure === "net" ? "Net" : "Gross"}</button>` as HTMLButtonElement;
    button.onclick = () => commit({...value, measure});
    return button;
  });
  const strip = html`<div class="filter-strip" data-filter-strip></div>` as HTMLElement;
  const form = html`<form class="filter-bar" data-filter-bar onsubmit=${(event: Event) => event.preventDefault()}>
    <div class="filter-bar__controls">
      ${picker}
      <div class="filter-bar__dates" role="group" aria-label="Dates"><span class="filter-bar__label">Dates:</span> ${fromInput}<span aria-hidden="true">–</span>${toInput}</div>
      <div class="filter-bar__presets segmented" role="group" aria-label="Date presets">${presets}</div>
      ${showMeasure ? html`<div class="filter-bar__measure segmented" role="group" aria-label="Revenue">${measureButtons}</div>` : ""}
    </div>
    ${dateError}
    ${strip}
  </form>` as FilterBar;

  function render() {
    picker.value = value.countries;
    fromInput.value = value.from ? formatDayNumeric(value.from) : "";
    toInput.value = value.to ? formatDayNumeric(value.to) : "";
    fromInput.dataset.value = value.from ?? "";
    toInput.dataset.value = value.to ?? "";
    const preset = activePreset(value, first, last);
    presets.forEach((button, i) => button.setAttribute("aria-pressed", String(DATE_PRESETS[i] === preset)));
    measureButtons.forEach((button) => button.setAttribute("aria-pressed", String(button.dataset.measure === value.measure)));
    renderStrip();
  }

  function renderStrip() {
    const chips: Node[] = [];
    const countryText = describeCountries(value.countries, countries);
    if (value.countries.length > 0 && value.countries.length <= 4)
      for (const country of value.countries) chips.push(chip(country, () => commit({...value, countries: value.countries.filter((c) => c !== country)})));
    else if (value.countries.length > 0) chips.push(chip(countryText, () => commit({...value, countries: []})));
    for (const code of value.products)
      chips.push(
        chip(productNames[code] ? `${productNames[code]} (${code})` : `Product ${code}`, () =>
          commit({...value, products: value.products.filter((c) => c !== code)})
        )
      );
    if (value.from || value.to) chips.push(chip(describeRange(value, first, last), () => commit({...value, from: null, to: null})));
    const search = filtersToSearch(value);
    const links = FILTER_PAGES.filter((page) => page.path !== currentPath()).map((page) => html`<a href=${`${page.path}${search}`}>${page.name}</a>`);
    const active = chips.length > 0;
    const clear = html`<button type="button" class="filter-strip__clear">Clear all</button>` as HTMLButtonElement;
    clear.onclick = () => commit({...NO_FILTERS, measure: value.measure});
    strip.dataset.active = String(active);
    strip.replaceChildren(html.fragment`<span class="filter-strip__label">Showing</span>
      ${active ? chips : html`<span class="filter-strip__all">${countryText}, ${describeRange(value, first, last)}</span>`}
      ${showMeasure ? html`<span class="filter-strip__measure">${value.measure === "net" ? "net revenue (after cancellations)" : "gross revenue (before cancellations)"}</span>` : ""}
      ${active ? clear : ""}
      <span class="filter-strip__pages">Same filter on ${links.flatMap((link, i) => (i ? [" · ", link] : [link]))}</span>`);
  }

  function commit(next: Filters, push = true) {
    let {from, to} = next;
    if (from && to && from > to) [from, to] = [to, from];
    const normalised: Filters = {...next, from, to, countries: [...next.countries].sort(), products: [...next.products].sort()};
    dateError.textContent = "";
    if (sameFilters(normalised, value)) return render();
    value = normalised;
    render();
    if (url && push) history.pushState(history.state, "", `${location.pathname}${filtersToSearch(value, location.search)}${location.hash}`);
    form.dispatchEvent(new Event("input", {bubbles: true}));
  }

  picker.addEventListener("input", (event) => {
    event.stopPropagation();
    commit({...value, countries: picker.value});
  });
  for (const [input, key] of [
    [fromInput, "from"],
    [toInput, "to"]
  ] as const) {
    input.addEventListener("input", (event) => event.stopPropagation());
    input.addEventListener("change", (event) => {
      event.stopPropagation();
      const day = parseDayGB(input.value);
      if (day instanceof Error) {
        dateError.textContent = `${key === "from" ? "From" : "To"}: ${day.message}; type a day as dd/mm/yyyy, e.g. ${formatDayNumeric(last)}.`;
        return;
      }
      commit({...value, [key]: day});
    });
  }
  if (url) onPopState(form, () => commit(fromUrl(), false), {invalidation: options.invalidation});
  Object.defineProperty(form, "value", {get: () => value, set: (filters: Filters) => commit({...NO_FILTERS, ...filters})});
  form.toggle = (kind, item) => {
    const list = value[kind];
    commit({...value, [kind]: list.includes(item) ? list.filter((x) => x !== item) : [...list, item]});
  };
  form.nameProducts = (names) => {
    Object.assign(productNames, names);
    renderStrip();
  };
  render();
  return form;
}

/** "1 Jul 2011 – 30 Sep 2011", "from 1 Jul 2011", "all dates (1 Dec 2010 – 9 Dec 2011)". */
export function describeRange(filters: Pick<Filters, "from" | "to">, first: string, last: string): string {
  const preset = activePreset(filters, first, last);
  if (!filters.from && !filters.to) return `all dates (${formatIsoDay(first)} – ${formatIsoDay(last)})`;
  const range = `${formatIsoDay(filters.from ?? first)} – ${formatIsoDay(filters.to ?? last)}`;
  return preset ? `${preset.label.toLowerCase()} (${range})` : range;
}

function currentPath(): string {
  const path = location.pathname.replace(/\.html$/, "").replace(/\/index$/, "/");
  const page = path.slice(path.lastIndexOf("/") + 1);
  return page === "" ? "./" : `./${page}`;
}

/** Whether a day (`YYYY-MM-DD`) is inside the filters' date range. */
export function inDateRange(day: string, filters: Pick<Filters, "from" | "to">): boolean {
  return (!filters.from || day >= filters.from) && (!filters.to || day <= filters.to);
}

export type {Filters, Measure};
