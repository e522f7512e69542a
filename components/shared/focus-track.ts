import type { ReactiveController, ReactiveElement } from 'lit';

/**
 * Whether the focus is in an element `tag` of the host's own shadow root (e.g. the sign-in box
 * an element shows), or was there last and fell to `<body>` (a control disabled while a passkey
 * ceremony runs), as a Lit reactive controller. Such a box is gone once it has done its work,
 * often before its own events could reach the host, so the host asks `inside` when the session
 * changes and moves the focus on itself. Focus moved elsewhere on the page ends it.
 *
 * It listens on the shadow root, not the host: focus moving between two places inside one
 * shadow root is not seen outside it.
 */
export class FocusTracker implements ReactiveController {
  private within = false;
  private root: Node | null = null;

  constructor(
    private readonly host: ReactiveElement,
    private readonly tag: string,
  ) {
    host.addController(this);
  }

  /** True while the focus is (or was last, before it fell to `<body>`) in one of the host's `tag` elements. */
  get inside(): boolean {
    return this.within && (document.activeElement === document.body || this.host.matches(':focus-within'));
  }

  hostConnected(): void {
    const root = this.host.renderRoot;
    if (root === this.root) return;
    this.root = root;
    root.addEventListener('focusin', (event) => {
      this.within = event.composedPath().some((node) => node instanceof Element && node.localName === this.tag && node.getRootNode() === root);
    });
  }
}
