// Observable Framework configuration: https://observablehq.com/framework/config
export default {
  title: "Retail analytics",
  root: "src",
  // Offline by construction: no web fonts, no CDN. Pages import libraries from node_modules.
  globalStylesheets: [],
  pages: [],
  search: true,
  footer: "Data: UCI Online Retail (Daqing Chen), CC BY 4.0. Built with Observable Framework and DuckDB."
};
