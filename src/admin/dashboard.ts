/** The dashboard assets: a page without data (dashboard-html.ts) and its script (dashboard-js.ts). */
export { DASHBOARD_HTML } from './dashboard-html.js';
export { DASHBOARD_JS } from './dashboard-js.js';
