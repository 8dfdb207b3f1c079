// Observable Framework configuration: https://observablehq.com/framework/config
import {fillImplicitImports, seedFrameworkNpmVersions, writeComponentPlot} from "./loaders/site/framework-offline.js";

// Builds and previews need no network: answer Framework's npm version lookups from its local cache, and
// serve the libraries behind its implicit imports (Plot, d3, Inputs, html, …) from node_modules. The
// components get the same Plot bundle as one local module (src/components/vendor/plot.js).
seedFrameworkNpmVersions("src");
fillImplicitImports("src");
writeComponentPlot("src");

export default {
  title: "Retail analytics",
  root: "src",
  // Offline by construction: no web fonts, no CDN. Pages import libraries from node_modules.
  globalStylesheets: [],
  // Framework's light and dark themes, following the reader's system setting (see src/style.css).
  style: "style.css",
  // No favicon request (the site has none; a 404 would be the only failed request).
  head: '<link rel="icon" href="data:,">',
  // The sidebar, in sections: adding a page is one line here.
  pages: [
    {name: "Overview", path: "/"},
    {name: "Act", open: true, pages: [{name: "Action items", path: "/action-items"}]},
    {
      name: "Sales",
      open: true,
      pages: [
        {name: "Sales", path: "/sales"},
        {name: "Products", path: "/products"},
        {name: "Forecast", path: "/forecast"},
        {name: "Anomalies", path: "/anomalies"},
        {name: "Market basket", path: "/market-basket"}
      ]
    },
    {
      name: "Customers",
      open: true,
      pages: [
        {name: "Customers & RFM", path: "/customers"},
        {name: "Segments", path: "/segments"},
        {name: "Churn", path: "/churn"},
        {name: "Customer", path: "/customer"},
        {name: "Recommendations", path: "/recommendations"}
      ]
    },
    {
      name: "Data & tools",
      open: false,
      pages: [
        {name: "SQL console", path: "/sql"},
        {name: "Data quality", path: "/data-quality"},
        {name: "Pipeline", path: "/pipeline"},
        {name: "Notebook template", path: "/notebook-template"}
      ]
    }
  ],
  search: true,
  footer: "Data: UCI Online Retail (Daqing Chen), CC BY 4.0. Built with Observable Framework and DuckDB."
};
