// An SPA served by the engine: everything renders in the browser, nothing is prerendered.
export const ssr = false;
export const prerender = false;
