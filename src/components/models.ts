/**
 * The model pages' components (customer models, sales and product models), beside the prelude:
 *
 *   import {html, loadTable} from "./components/prelude.js";
 *   import {churnEvaluation, metricsTable} from "./components/models.js";
 *
 * Kept out of the prelude so pages that do not show a model do not download these modules.
 */
export * from "./customer-models.js";
export * from "./sales-models.js";
