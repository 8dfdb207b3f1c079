/**
 * The filter bar every dashboard page shares: a country multi-select and a date range with presets.
 * Its value is a `Filters` object; it lives in the URL (see url-state.ts): a change pushes a history
 * entry, back/forward restores the filters, a reload or a shared link opens the same view.
 *
 *   const filters = view(filterBar({countries, first: "2010-12-01", last: "2011-12-09"}));
 */
import * as Inputs from "@observablehq/inputs";
import {html} from "htl";
import {addDays, filtersToSearch, parseFilters, sameFilters, type Filters} from "./url-state.js";

export interface FilterBarOptions {
  /** Countries to offer, in display order (e.g. by revenue). */
  countries: readonly string[];
  /** First and last day of the data (`YYYY-MM-DD`): the bounds of the date inputs and the presets. */
  first: string;
  last: string;
  /** Keep the filters in the URL. Default: true. */
  url?: boolean;
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

function addMonths(day: string, months: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.toISOString().slice(0, 10);
}

export function filterBar({countries, first, last, url = true}: FilterBarOptions): HTMLElement & {value: Filters} {
  const initial = url ? clampToData(parseFilters(location.search), countries) : {countries: [], from: null, to: null};
  const countrySelect = Inputs.select(countries, {label: "Countries", multiple: 8, value: initial.countries});
  countrySelect.querySelector("select")?.setAttribute("name", "country");
  const fromInput = html`<input type="date" name="from" min=${first} max=${last} value=${initial.from ?? ""}>`;
  const toInput = html`<input type="date" name="to" min=${first} max=${last} value=${initial.to ?? ""}>`;
  const clearCountries = html`<button type="button" name="all-countries">All countries</button>`;
  const presets = DATE_PRESETS.map((preset) => {
    const button = html`<button type="button" data-preset=${preset.label}>${preset.label}</button>`;
    button.onclick = () => {
      const {from, to} = preset.range(first, last);
      fromInput.value = from ?? "";
      toInput.value = to ?? "";
      update(true);
    };
    return button;
  });
  const summary = html`<span class="filter-summary"></span>`;
  const form = html`<form class="filter-bar" onsubmit=${(event: Event) => event.preventDefault()}>
    <div class="filter-bar__countries">${countrySelect}${clearCountries}</div>
    <div class="filter-bar__dates">
      <label>From ${fromInput}</label> <label>To ${toInput}</label>
      <div class="filter-bar__presets">${presets}</div>
      ${summary}
    </div>
  </form>` as HTMLFormElement & {value: Filters};

  let value = initial;
  const read = (): Filters => {
    let from = fromInput.value || null;
    let to = toInput.value || null;
    if (from && to && from > to) [from, to] = [to, from];
    return {countries: [...(countrySelect.value as string[])].sort(), from, to};
  };
  const describe = (filters: Filters) => {
    const where = filters.countries.length === 0 ? "all countries" : filters.countries.length <= 3 ? filters.countries.join(", ") : `${filters.countries.length} countries`;
    summary.textContent = `${where}, ${filters.from ?? first} to ${filters.to ?? last}`;
  };
  function update(push: boolean) {
    const next = read();
    if (sameFilters(next, value)) return;
    value = next;
    describe(value);
    if (url && push) history.pushState(history.state, "", `${location.pathname}${filtersToSearch(value, location.search)}${location.hash}`);
    form.dispatchEvent(new Event("input", {bubbles: true}));
  }
  // The sub-inputs' own input events must not reach Framework's view() as values of this form.
  for (const input of [countrySelect, fromInput, toInput]) {
    input.addEventListener("input", (event: Event) => {
      event.stopPropagation();
      update(true);
    });
    input.addEventListener("change", (event: Event) => event.stopPropagation());
  }
  clearCountries.onclick = () => {
    countrySelect.value = [];
    update(true);
  };
  if (url) {
    addEventListener("popstate", () => {
      const restored = clampToData(parseFilters(location.search), countries);
      countrySelect.value = restored.countries;
      fromInput.value = restored.from ?? "";
      toInput.value = restored.to ?? "";
      update(false);
    });
  }
  Object.defineProperty(form, "value", {get: () => value, set: (filters: Filters) => {
    countrySelect.value = filters.countries;
    fromInput.value = filters.from ?? "";
    toInput.value = filters.to ?? "";
    update(true);
  }});
  describe(value);
  return form;
}

/** Drops countries the data does not have (an old or mistyped link still opens). */
function clampToData(filters: Filters, countries: readonly string[]): Filters {
  const known = new Set(countries);
  return {...filters, countries: filters.countries.filter((country) => known.has(country))};
}

/** Whether a day (`YYYY-MM-DD` or a Date holding a wall-clock time) is inside the filters' date range. */
export function inDateRange(day: string, filters: Pick<Filters, "from" | "to">): boolean {
  return (!filters.from || day >= filters.from) && (!filters.to || day <= filters.to);
}
