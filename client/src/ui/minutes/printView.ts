/**
 * 打印页: the print page of the minutes opened in a new tab, ready to print. The page is fetched
 * with the invite as a bearer token (it cannot be a plain link), so the tab is opened first and
 * shown the page once it has arrived.
 */

/**
 * Opens an empty tab for the print page, saying it is on its way; null when the browser does
 * not allow it. NOTE: must run in the click itself: a tab opened after the fetch resolves is a
 * popup the browser blocks.
 */
export function openPrintTab(preparing: string): Window | null {
  const tab = window.open('', '_blank');
  if (!tab) return null;
  // The page shown there is ours, but it has no business with this one.
  tab.opener = null;
  tab.document.title = preparing;
  tab.document.body.textContent = preparing;
  return tab;
}

/** Shows the fetched print page in `tab` and opens the print dialog once it has loaded. */
export function showAndPrint(tab: Window, page: Blob): void {
  const url = URL.createObjectURL(page.type === 'text/html' ? page : new Blob([page], { type: 'text/html' }));
  tab.location.replace(url);
  // NOTE: a load listener on `tab` may belong to the blank page the navigation replaces, so
  // this watches for the new document instead (same origin: a blob URL made here).
  const started = Date.now();
  const timer = window.setInterval(() => {
    if (tab.closed || Date.now() - started > 60_000) {
      window.clearInterval(timer);
      URL.revokeObjectURL(url);
      return;
    }
    let loaded: boolean;
    try {
      loaded = tab.location.href === url && tab.document.readyState === 'complete';
    } catch (error) {
      // The reader took the tab elsewhere (another origin): nothing to print any more.
      console.warn('the print tab went elsewhere before the page loaded', error);
      window.clearInterval(timer);
      URL.revokeObjectURL(url);
      return;
    }
    if (!loaded) return;
    window.clearInterval(timer);
    tab.focus();
    tab.print();
    // The page stays in the tab after printing; its URL is no longer needed to show it.
    URL.revokeObjectURL(url);
  }, 100);
}
