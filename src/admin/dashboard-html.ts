/** The dashboard page: markup and styles only; data comes from dashboard-js.ts through the API. */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>provd</title>
<style>
  :root { --pending: #fff3cd; --pending-border: #d39e00; --never: #eef1f4; --current: #e6f4ea; --error: #fde2e1; font-family: system-ui, sans-serif; }
  body { margin: 0; color: #1d2329; background: #fafbfc; }
  header { display: flex; align-items: baseline; gap: 1.5rem; padding: .8rem 1.2rem; background: #1f3a5f; color: #fff; }
  header h1 { font-size: 1.2rem; margin: 0; }
  header a { color: #fff; }
  main { padding: 1rem 1.2rem; }
  .counts span { margin-right: 1rem; }
  form.filters { display: flex; flex-wrap: wrap; gap: .6rem; align-items: end; margin: .8rem 0; }
  label { display: flex; flex-direction: column; font-size: .8rem; gap: .2rem; }
  input, select, button { font: inherit; padding: .3rem .5rem; }
  button { cursor: pointer; border: 1px solid #1f3a5f; background: #fff; border-radius: 4px; }
  button.primary { background: #1f3a5f; color: #fff; }
  table { border-collapse: collapse; width: 100%; background: #fff; }
  th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #e3e6ea; font-size: .9rem; vertical-align: top; }
  th { background: #f0f2f5; position: sticky; top: 0; }
  tr.state-pending { background: var(--pending); box-shadow: inset 4px 0 var(--pending-border); }
  tr.state-never { background: var(--never); }
  .badge { display: inline-block; padding: 0 .4rem; margin: 0 .2rem .2rem 0; border-radius: 3px; font-size: .8rem; border: 1px solid #ccd; }
  .badge.current { background: var(--current); }
  .badge.pending { background: var(--pending); border-color: var(--pending-border); font-weight: 600; }
  .badge.never { background: var(--never); }
  .badge.error { background: var(--error); }
  code, .mono { font-family: ui-monospace, monospace; font-size: .85rem; }
  pre.diff { background: #fff; border: 1px solid #e3e6ea; padding: .5rem; overflow: auto; max-height: 28rem; }
  pre.diff .add { background: #e6f4ea; display: block; }
  pre.diff .del { background: #fde2e1; display: block; }
  #status { min-height: 1.2rem; font-size: .85rem; color: #444; }
  #live { font-size: .8rem; }
  .hidden { display: none; }
  #login { max-width: 28rem; }
</style>
</head>
<body>
<header>
  <h1><a href="/">provd</a></h1>
  <span class="counts" id="counts" aria-live="polite"></span>
  <span id="live" aria-live="polite">offline</span>
</header>
<main>
  <form id="login" class="hidden">
    <p>Admin token (kept in this browser tab only):</p>
    <label>Token <input id="token" type="password" autocomplete="off" required></label>
    <p><button class="primary" type="submit">Open dashboard</button></p>
  </form>
  <section id="list-view" class="hidden">
    <form class="filters" id="filters" role="search">
      <label>Search <input id="q" type="search" placeholder="MAC, model, site, label, IP"></label>
      <label>State <select id="f-state"><option value="">any</option><option>pending</option><option>current</option><option>never</option></select></label>
      <label>Site <select id="f-site"><option value="">any</option></select></label>
      <label>Model <select id="f-model"><option value="">any</option></select></label>
      <button type="button" id="resync-selected">Resync selected</button>
      <button type="button" id="resync-pending">Resync all pending</button>
    </form>
    <div id="status" role="status"></div>
    <table id="devices">
      <caption class="hidden">Devices</caption>
      <thead><tr>
        <th scope="col"><input type="checkbox" id="select-all" aria-label="select all"></th>
        <th scope="col">MAC</th><th scope="col">Vendor / model</th><th scope="col">Site</th>
        <th scope="col">Last seen</th><th scope="col">Protocol</th><th scope="col">Files</th><th scope="col"></th>
      </tr></thead>
      <tbody></tbody>
    </table>
  </section>
  <section id="device-view" class="hidden">
    <h2 id="d-title"></h2>
    <p id="d-facts"></p>
    <p><button id="d-resync" class="primary" type="button">Resync</button> <button id="d-reboot" type="button">Resync with reboot</button></p>
    <div id="d-status" role="status"></div>
    <h3>Files</h3>
    <div id="d-files"></div>
    <h3>Fetch history</h3>
    <table id="d-history"><thead><tr><th>Time</th><th>Protocol</th><th>Peer</th><th>Path</th><th>Outcome</th><th>Bytes</th><th>MD5</th><th>Changed</th></tr></thead><tbody></tbody></table>
  </section>
</main>
<script src="/assets/dashboard.js"></script>
</body>
</html>
`;
