// Observable Framework configuration: https://observablehq.com/framework/config
import {fillImplicitImports, seedFrameworkNpmVersions} from "./loaders/site/framework-offline.js";

// Builds and previews need no network: answer Framework's npm version lookups from its local cache, and
// serve the libraries behind its implicit imports (Plot, d3, Inputs, html, …) from node_modules.
seedFrameworkNpmVersions("src");
fillImplicitImports("src");

export default {
  title: "Retail analytics",
  root: "src",
  // Offline by construction: no web fonts, no CDN. Pages import libraries from node_modules.
  globalStylesheets: [],
  // Framework's light and dark themes, following the reader's system setting (see src/style.css).
  style: "style.css",
  // No favicon request (the site has none; a 404 would be the only failed request).
  head: '<link rel="icon" href="data:,">',
  // The sidebar: adding a page is one line here.
  pages: [
    {name: "Overview", path: "/"},
    {name: "Sales", path: "/sales"},
    {name: "Products", path: "/products"},
    {name: "Customers & RFM", path: "/customers"},
    {name: "Segments", path: "/segments"},
    {name: "Churn", path: "/churn"},
    {name: "Customer lookup", path: "/customer"},
    {name: "Forecast", path: "/forecast"},
    {name: "Recommendations", path: "/recommendations"},
    {name: "Anomalies", path: "/anomalies"},
    {name: "Market basket", path: "/market-basket"},
    {name: "Action items", path: "/action-items"},
    {name: "SQL console", path: "/sql"},
    {name: "Data quality", path: "/data-quality"},
    {name: "Pipeline", path: "/pipeline"},
    {name: "Notebook template", path: "/notebook-template"}
  ],
  search: true,
  footer: "Data: UCI Online Retail (Daqing Chen), CC BY 4.0. Built with Observable Framework and DuckDB."
};
