// The Custom Elements Manifest (dist/custom-elements.json), made from the elements' JSDoc
// (@fires, @csspart, @cssprop, @slot) and their Lit properties. `npm run build` writes it;
// docs/components/*.md and the editor tooling read it.
export default {
  globs: ['components/*/*.ts'],
  exclude: ['components/core/**', 'components/client/**', 'components/i18n/**', 'components/styles/**', 'components/**/*.styles.ts', 'components/index.ts'],
  outdir: 'dist',
  litelement: true,
  packagejson: false,
  plugins: [
    {
      // Elements fire their events through one typed `emit(type, detail)` helper; the analyzer
      // reads its `new CustomEvent(type, …)` as an event named "type". The real events are
      // the documented @fires ones.
      name: 'overa-drop-emit-helper-event',
      packageLinkPhase({ customElementsManifest }) {
        for (const mod of customElementsManifest.modules ?? []) {
          for (const decl of mod.declarations ?? []) {
            if (decl.events) decl.events = decl.events.filter((e) => e.name !== 'type');
            // `static messages` names the element's message areas for its own loading (like
            // Lit's `static styles`, which the analyzer already leaves out): not an API.
            if (decl.members) decl.members = decl.members.filter((m) => !(m.static && m.name === 'messages'));
          }
        }
      },
    },
  ],
};
