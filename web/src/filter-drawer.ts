/** The elements of the filter drawer (web/pages/index.html). */
export interface DrawerElements {
  /** The "Filters" button, shown on narrow screens only (app.css). */
  readonly toggle: HTMLButtonElement;
  /** The facets section, which becomes the drawer. */
  readonly drawer: HTMLElement;
  /** Focused when the drawer opens. */
  readonly heading: HTMLElement;
  /** Buttons that close it ("Close", "Show results"). */
  readonly closers: readonly HTMLButtonElement[];
  /** What is behind the drawer: made inert while it is open, so that neither Tab nor a screen reader reaches it. */
  readonly behind: () => readonly HTMLElement[];
}

/** Wide enough for the facets beside the results (app.css's 48rem breakpoint): no drawer then. */
const WIDE = '(min-width: 48rem)';

/**
 * The facets as a drawer on phones: below 48rem they are hidden (they would otherwise fall below every result),
 * and the "Filters" button opens them over the page, modal in effect (the rest is inert, Escape and the close
 * buttons shut it, the focus goes back to the button). From 48rem they are a sidebar and the drawer is closed.
 */
export function filterDrawer(elements: DrawerElements): void {
  const { toggle, drawer, heading, closers } = elements;
  const root = document.documentElement;
  let inerted: readonly HTMLElement[] = [];
  const setOpen = (open: boolean, returnFocus: boolean) => {
    root.classList.toggle('drawer-open', open);
    toggle.setAttribute('aria-expanded', String(open));
    for (const element of inerted) element.inert = false;
    inerted = open ? elements.behind().filter((e) => !e.contains(drawer)) : [];
    for (const element of inerted) element.inert = true;
    if (open) heading.focus();
    else if (returnFocus) toggle.focus();
  };
  toggle.addEventListener('click', () => setOpen(true, false));
  for (const closer of closers) closer.addEventListener('click', () => setOpen(false, true));
  drawer.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && root.classList.contains('drawer-open')) setOpen(false, true);
  });
  window.matchMedia(WIDE).addEventListener('change', (event) => {
    if (event.matches && root.classList.contains('drawer-open')) setOpen(false, false);
  });
}

/** Shows how many filter values are chosen on the "Filters" button (`count` hidden at 0). */
export function showFilterCount(count: HTMLElement, chosen: number): void {
  count.textContent = String(chosen);
  count.hidden = chosen === 0;
  const label = chosen === 0 ? 'Filters' : `Filters, ${chosen} chosen`;
  count.closest('button')?.setAttribute('aria-label', label);
}
