/**
 * A searchable country picker: a button that opens a list of checkboxes (with each country's revenue beside
 * it, largest first), a search box, and shortcuts for "All", the home market and "Outside <home>". Its value
 * is the selected countries (empty = all), like a multiple select, so it works with view() and urlList():
 *
 *   const countries = view(countryPicker(extent.countries, {revenue: extent.countryRevenue}));
 *
 * Each checkbox is `<input type=checkbox name=country value=…>`; the picker dispatches one `input` event
 * per change.
 */
import {html} from "htl";
import {formatMoneyCompact} from "./format.js";

export interface CountryPickerOptions {
  /** Initially selected countries. */
  value?: readonly string[];
  /** Revenue (or any figure) shown beside each country. */
  revenue?: Readonly<Record<string, number>>;
  /** How that figure is shown. Default: £1.2M. */
  format?: (value: number) => string;
  /** The home market of the "home / outside" shortcuts. Default: "United Kingdom" (if offered). */
  home?: string;
  /** Chips of the selection beside the button (off when a filter strip shows them). Default: true. */
  chips?: boolean;
  /** The checkboxes' `name`. Default: "country". */
  name?: string;
  label?: string;
}

export type CountryPicker = HTMLElement & {value: string[]};

export function countryPicker(countries: readonly string[], options: CountryPickerOptions = {}): CountryPicker {
  const {revenue, format = formatMoneyCompact, home = "United Kingdom", chips = true, name = "country", label = "Countries"} = options;
  const hasHome = countries.includes(home);
  const boxes = countries.map((country) => html`<input type="checkbox" name=${name} value=${country}>` as HTMLInputElement);
  const items = countries.map(
    (country, i) =>
      html`<li data-country=${country}><label>${boxes[i]}<span class="country-picker__name">${country}</span>${
        revenue && revenue[country] !== undefined ? html`<span class="country-picker__figure">${format(revenue[country]!)}</span>` : ""
      }</label></li>` as HTMLElement
  );
  const search = html`<input type="search" placeholder="Search countries…" aria-label="Search countries" autocomplete="off">` as HTMLInputElement;
  const shortcut = (key: string, text: string, pick: () => string[]) => {
    const button = html`<button type="button" data-shortcut=${key}>${text}</button>` as HTMLButtonElement;
    button.onclick = () => set(pick(), true);
    return button;
  };
  const shortcuts = [
    shortcut("all", "All countries", () => []),
    ...(hasHome
      ? [shortcut("home", home, () => [home]), shortcut("abroad", `Outside ${abbreviate(home)}`, () => countries.filter((country) => country !== home))]
      : [])
  ];
  const noMatch = html`<li class="country-picker__none" hidden>No country matches.</li>` as HTMLElement;
  const summaryText = html`<span class="country-picker__summary"></span>` as HTMLElement;
  const menu = html`<details class="country-picker__menu">
    <summary aria-label=${label}><span class="country-picker__label">${label}:</span> ${summaryText}</summary>
    <div class="country-picker__panel">
      ${search}
      <div class="country-picker__shortcuts">${shortcuts}</div>
      <ul class="country-picker__list">${items}${noMatch}</ul>
    </div>
  </details>` as HTMLDetailsElement;
  const chipList = html`<span class="chips"></span>` as HTMLElement;
  const root = html`<div class="country-picker">${menu}${chips ? chipList : ""}</div>` as CountryPicker;

  let value: string[] = [];
  const known = new Set(countries);
  function set(next: readonly string[], notify: boolean) {
    const chosen = new Set(next.filter((country) => known.has(country)));
    boxes.forEach((box) => (box.checked = chosen.has(box.value)));
    const sorted = [...chosen].sort();
    const changed = sorted.length !== value.length || sorted.some((country, i) => country !== value[i]);
    value = sorted;
    render();
    if (changed && notify) root.dispatchEvent(new Event("input", {bubbles: true}));
  }
  function render() {
    summaryText.textContent = describeCountries(value, countries, home);
    shortcuts.forEach((button) =>
      button.setAttribute(
        "aria-pressed",
        String(describeCountries(value, countries, home) === button.textContent || (button.dataset.shortcut === "all" && value.length === 0))
      )
    );
    if (chips)
      chipList.replaceChildren(
        ...(value.length > 0 && value.length <= 6
          ? value.map((country) =>
              chip(country, () =>
                set(
                  value.filter((c) => c !== country),
                  true
                )
              )
            )
          : [])
      );
  }
  for (const box of boxes) {
    box.addEventListener("input", (event) => {
      event.stopPropagation();
      set(
        boxes.filter((b) => b.checked).map((b) => b.value),
        true
      );
    });
    box.addEventListener("change", (event) => event.stopPropagation());
  }
  search.addEventListener("input", (event) => {
    event.stopPropagation();
    const needle = search.value.trim().toLowerCase();
    let shown = 0;
    items.forEach((item, i) => {
      const match = !needle || countries[i]!.toLowerCase().includes(needle);
      item.hidden = !match;
      if (match) shown++;
    });
    noMatch.hidden = shown > 0;
  });
  search.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    const first = items.find((item) => !item.hidden)?.dataset.country;
    if (first) set(value.includes(first) ? value.filter((c) => c !== first) : [...value, first], true);
  });
  menu.addEventListener("toggle", () => menu.open && search.focus({preventScroll: true}));
  menu.addEventListener("keydown", (event) => {
    if ((event as KeyboardEvent).key !== "Escape" || !menu.open) return;
    menu.open = false;
    menu.querySelector("summary")?.focus();
  });
  document.addEventListener("pointerdown", (event) => {
    if (menu.open && !menu.contains(event.target as Node)) menu.open = false;
  });
  Object.defineProperty(root, "value", {get: () => value, set: (next: readonly string[]) => set(next ?? [], false)});
  set(options.value ?? [], false);
  return root;
}

/** "All countries", "United Kingdom", "Outside UK", "France, Germany", "5 countries". */
export function describeCountries(selected: readonly string[], countries: readonly string[], home = "United Kingdom"): string {
  if (selected.length === 0) return "All countries";
  if (countries.includes(home) && selected.length === countries.length - 1 && !selected.includes(home)) return `Outside ${abbreviate(home)}`;
  if (selected.length <= 2) return selected.join(", ");
  return `${selected.length} countries`;
}

function abbreviate(country: string): string {
  return country === "United Kingdom" ? "UK" : country;
}

/** A removable chip: the text and a × button. */
export function chip(text: string, remove: () => void, {title = `Remove ${text}`} = {}): HTMLElement {
  const button = html`<button type="button" class="chip__remove" aria-label=${title} title=${title}>×</button>` as HTMLButtonElement;
  button.onclick = remove;
  return html`<span class="chip" data-chip=${text}>${text}${button}</span>` as HTMLElement;
}
