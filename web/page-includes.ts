/**
 * The site header every page shares, written once (web/partials/site-header.html) and put into each page at build
 * time: a page says where it goes with `<!-- site-header -->`, or `<!-- site-header current="/path" -->` to mark
 * its own link with `aria-current="page"`. Pure: the build reads the files and passes their text in.
 */

/** A link of the site's navigation. `ownPageOnly`: listed only on its own page (reached by its address). */
interface NavLink {
  readonly href: string;
  readonly label: string;
  readonly ownPageOnly?: boolean;
}

/** The site's navigation, in order. The analytics page is for editors: the public pages do not link to it. */
export const NAV_LINKS: readonly NavLink[] = [
  { href: '/', label: 'Search' },
  { href: '/saved-searches', label: 'Saved searches' },
  { href: '/analytics', label: 'Analytics', ownPageOnly: true },
  { href: '/docs', label: 'API' },
];

const MARKER = /[ \t]*<!--\s*site-header(?:\s+current="([^"]*)")?\s*-->\n?/gu;

/** The navigation's links, the current page's marked. */
export function siteNav(current: string | undefined): string {
  return NAV_LINKS.filter((link) => !link.ownPageOnly || link.href === current)
    .map((link) => `<a href="${link.href}"${link.href === current ? ' aria-current="page"' : ''}>${link.label}</a>`)
    .join('');
}

/**
 * A page's HTML with each `<!-- site-header … -->` marker replaced by `header` (the partial's text, whose `{{nav}}`
 * becomes the navigation). Throws when a marker names a page no link goes to, or the partial has no `{{nav}}`.
 */
export function expandIncludes(page: string, header: string): string {
  if (!header.includes('{{nav}}')) throw new Error('the site header partial has no {{nav}} placeholder');
  return page.replace(MARKER, (_marker, current: string | undefined) => {
    if (current !== undefined && !NAV_LINKS.some((link) => link.href === current)) {
      throw new Error(`<!-- site-header current="${current}" -->: no link of the site's navigation goes to ${current}`);
    }
    return header.replace('{{nav}}', siteNav(current));
  });
}
