/**
 * Click-to-filter on a Plot chart: each rect a mark drew (bars, heatmap cells — in the order of its data)
 * gets `data-key`, a pointer cursor, keyboard focus, and calls `onSelect(key)` on click or Enter/Space.
 * Keys in `selected` are marked `aria-pressed="true"`.
 */
export function clickable(
  chart: Element,
  mark: "bar" | "cell",
  keys: readonly string[],
  onSelect: (key: string) => void,
  selected: readonly string[] = []
): void {
  const chosen = new Set(selected);
  const rects = chart.querySelectorAll(`g[aria-label="${mark}"] rect`);
  rects.forEach((rect, i) => {
    const key = keys[i];
    if (key === undefined) return;
    rect.setAttribute("data-key", key);
    rect.setAttribute("tabindex", "0");
    rect.setAttribute("role", "button");
    rect.setAttribute("aria-label", `Filter by ${key}`);
    rect.setAttribute("aria-pressed", String(chosen.has(key)));
    rect.classList.add("clickable");
    rect.addEventListener("click", () => onSelect(key));
    rect.addEventListener("keydown", (event) => {
      const {key: pressed} = event as KeyboardEvent;
      if (pressed !== "Enter" && pressed !== " ") return;
      event.preventDefault();
      onSelect(key);
    });
  });
}
