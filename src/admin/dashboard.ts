/** Placeholder until the dashboard lands. */
export const DASHBOARD_HTML = '<!doctype html><title>provd</title><p>provd admin</p>';
export const DASHBOARD_JS = '';
