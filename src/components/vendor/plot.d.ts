// Types of src/components/vendor/plot.js, Plot's bundle for the components, which the site's config writes
// from node_modules (loaders/site/framework-offline.ts `writeComponentPlot`; git-ignored).
export * from "@observablehq/plot";
