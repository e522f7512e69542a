/**
 * What the bundle's `loadFormBuilder()` imports: the builder together with everything the
 * bundle's entry has. Importing the entry here (it is loaded already, so this costs nothing)
 * makes every module of the entry shared by both, so the bundler keeps them in the chunks the
 * page has; pointing the dynamic import at define.ts alone made it split those modules by
 * which of them the builder uses, 2 KB (min+gz) more in the first load of every page
 * (bench/bundle-size.ts).
 */
import '../index.ts';
import './define.ts';
