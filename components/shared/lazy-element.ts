/**
 * Loads the definition of an element another element embeds the first time it is rendered,
 * so it is not part of the page's first load (issue 8's bundle budget): an inbox that is
 * never signed out never downloads `<overa-account>`. Until it loads, the tag is an unknown
 * element that upgrades in place; a host page that already defined it loads nothing.
 */
export function lazyElement(tag: string, load: () => Promise<unknown>): () => void {
  let loading = false;
  return () => {
    if (loading || customElements.get(tag)) return;
    loading = true;
    load().catch((err: unknown) => {
      loading = false;
      console.error(`overa: could not load <${tag}>`, err);
    });
  };
}
