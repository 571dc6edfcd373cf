/** The dashboard's browser script (plain ES5-style JavaScript, no build step), served at /assets/dashboard.js. */
export const DASHBOARD_JS = String.raw`// provd dashboard script. Plain browser JavaScript; all API values go into the page via textContent.
(function () {
  'use strict';
  var KEY = 'provd-admin-token';
  var token = sessionStorage.getItem(KEY) || '';
  var $ = function (id) { return document.getElementById(id); };
  var el = function (tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  };
  var fmtTime = function (ms) { return ms ? new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + 'Z' : '-'; };

  function api(path, init) {
    init = init || {};
    var headers = Object.assign({ authorization: 'Bearer ' + token }, init.headers || {});
    return fetch(path, Object.assign({}, init, { headers: headers })).then(function (r) {
      if (r.status === 401) { sessionStorage.removeItem(KEY); showLogin(); throw new Error('unauthorized'); }
      return r;
    });
  }
  function json(path) { return api(path).then(function (r) { return r.json(); }); }

  function showLogin() {
    $('login').classList.remove('hidden');
    $('list-view').classList.add('hidden');
    $('device-view').classList.add('hidden');
  }

  $('login').addEventListener('submit', function (ev) {
    ev.preventDefault();
    token = $('token').value;
    sessionStorage.setItem(KEY, token);
    $('login').classList.add('hidden');
    start();
  });

  function badge(f) {
    var b = el('span', { 'class': 'badge ' + f.state, title: f.file + ': ' + f.state }, f.file + ' ' + f.state);
    return b;
  }

  function counts() {
    return json('/api/status').then(function (s) {
      var c = $('counts');
      c.textContent = '';
      ['current', 'pending', 'never'].forEach(function (k) { c.appendChild(el('span', { 'data-count': k }, k + ': ' + s.total[k])); });
      var site = $('f-site'), model = $('f-model');
      if (site.options.length === 1) Object.keys(s.bySite).sort().forEach(function (n) { site.appendChild(el('option', null, n)); });
      if (model.options.length === 1) Object.keys(s.byModel).sort().forEach(function (n) { model.appendChild(el('option', { value: n.split('/')[1] }, n)); });
    });
  }

  function query() {
    var p = new URLSearchParams();
    var q = $('q').value.trim(); if (q) p.set('q', q);
    [['f-state', 'state'], ['f-site', 'site'], ['f-model', 'model']].forEach(function (x) { var v = $(x[0]).value; if (v) p.set(x[1], v); });
    p.set('limit', '5000');
    return p.toString();
  }

  function row(d) {
    var tr = el('tr', { 'class': 'state-' + d.state, 'data-mac': d.mac, 'data-state': d.state });
    var cb = el('input', { type: 'checkbox', 'class': 'pick', 'aria-label': 'select ' + d.mac, value: d.mac });
    var td0 = el('td'); td0.appendChild(cb); tr.appendChild(td0);
    var a = el('a', { href: '/devices/' + d.mac, 'class': 'mono' }, d.mac);
    var td1 = el('td'); td1.appendChild(a); tr.appendChild(td1);
    tr.appendChild(el('td', null, d.vendor + ' / ' + d.model));
    tr.appendChild(el('td', null, d.site || '-'));
    tr.appendChild(el('td', null, d.lastSeen ? d.lastSeen.address + ' at ' + fmtTime(d.lastSeen.time) : 'never'));
    tr.appendChild(el('td', null, d.lastSeen ? d.lastSeen.protocol : '-'));
    var files = el('td', { 'class': 'files' }); d.files.forEach(function (f) { files.appendChild(badge(f)); }); tr.appendChild(files);
    var act = el('td'); var b = el('button', { type: 'button', 'class': 'resync-one' }, 'Resync');
    b.addEventListener('click', function () { resync({ macs: [d.mac] }, $('status')); });
    act.appendChild(b); tr.appendChild(act);
    return tr;
  }

  var loading = null;
  function loadList() {
    if (loading) { loading.again = true; return loading.p; }
    loading = { again: false };
    loading.p = json('/api/devices?' + query()).then(function (r) {
      var body = $('devices').tBodies[0];
      var picked = {};
      Array.prototype.forEach.call(document.querySelectorAll('input.pick:checked'), function (c) { picked[c.value] = true; });
      body.textContent = '';
      r.devices.forEach(function (d) { var tr = row(d); if (picked[d.mac]) tr.querySelector('input.pick').checked = true; body.appendChild(tr); });
      $('status').dataset.total = r.total;
      return counts();
    }).finally(function () { var again = loading.again; loading = null; if (again) loadList(); });
    return loading.p;
  }

  function resync(body, status) {
    status.textContent = 'Starting resync...';
    return api('/api/resync', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (j) { return { status: r.status, body: j }; }); })
      .then(function (r) {
        if (r.status !== 202) {
          var probs = (r.body.problems || []).map(function (p) { return typeof p === 'string' ? p : p.param + ': ' + p.problem; });
          status.textContent = 'Resync refused (' + r.status + '): ' + (r.body.error || '') + (probs.length ? ' - ' + probs.join('; ') : '');
          return;
        }
        status.textContent = 'Resync ' + r.body.id + ' started for ' + r.body.devices.length + ' device(s).';
        follow(r.body.id, status);
      });
  }

  function follow(id, status) {
    json('/api/resync/' + encodeURIComponent(id)).then(function (run) {
      var by = {};
      run.devices.forEach(function (d) { by[d.status] = (by[d.status] || 0) + 1; });
      var parts = Object.keys(by).map(function (k) { return k + ': ' + by[k]; });
      status.textContent = 'Resync ' + run.id + ' ' + run.state + ' - ' + parts.join(', ') + (run.stopReason ? ' - ' + run.stopReason : '');
      if (run.state === 'running') setTimeout(function () { follow(id, status); }, 1000);
    });
  }

  $('resync-selected').addEventListener('click', function () {
    var macs = Array.prototype.map.call(document.querySelectorAll('input.pick:checked'), function (c) { return c.value; });
    if (macs.length === 0) { $('status').textContent = 'Select devices first.'; return; }
    resync({ macs: macs }, $('status'));
  });
  $('resync-pending').addEventListener('click', function () { resync({ pending: true }, $('status')); });
  $('select-all').addEventListener('change', function (ev) {
    Array.prototype.forEach.call(document.querySelectorAll('input.pick'), function (c) { c.checked = ev.target.checked; });
  });
  var debounce;
  ['q', 'f-state', 'f-site', 'f-model'].forEach(function (id) {
    $(id).addEventListener('input', function () { clearTimeout(debounce); debounce = setTimeout(loadList, 200); });
  });
  $('filters').addEventListener('submit', function (ev) { ev.preventDefault(); loadList(); });

  function loadDevice(mac) {
    return json('/api/devices/' + mac).then(function (d) {
      $('d-title').textContent = d.mac + ' - ' + d.vendor + ' ' + d.model;
      $('d-title').dataset.state = d.state;
      $('d-facts').textContent = 'State: ' + d.state + '. Site: ' + (d.site || '-') + '. Profile: ' + (d.profile || '-') +
        '. Last seen: ' + (d.lastSeen ? d.lastSeen.address + ' over ' + d.lastSeen.protocol + ' at ' + fmtTime(d.lastSeen.time) : 'never') +
        '. Lines: ' + (d.accounts || []).map(function (a) { return a.line + ' ' + a.user + ' (password ' + a.password + ')'; }).join(', ');
      var files = $('d-files');
      files.textContent = '';
      d.files.forEach(function (f) {
        var box = el('div', { 'class': 'file', 'data-file': f.file });
        box.appendChild(badge(f));
        box.appendChild(el('span', { 'class': 'mono' }, ' current ' + (f.currentMd5 || '-') + ', delivered ' + (f.deliveredMd5 || '-')));
        var pre = el('pre', { 'class': 'diff', 'aria-label': 'diff of ' + f.file });
        box.appendChild(pre);
        files.appendChild(box);
        json('/api/devices/' + mac + '/files/' + encodeURIComponent(f.file) + '/diff').then(function (df) {
          if (!df.lines) { pre.textContent = df.note || ''; return; }
          if (df.lines.length === 0) { pre.textContent = df.note || 'no difference'; return; }
          df.lines.forEach(function (l) {
            if (l.op === ' ') return;
            pre.appendChild(el('span', { 'class': l.op === '+' ? 'add' : 'del' }, l.op + ' ' + l.text));
          });
        });
      });
      var body = $('d-history').tBodies[0];
      body.textContent = '';
      d.history.forEach(function (h) {
        var tr = el('tr');
        [h.time, h.protocol, h.peerAddress, h.path, h.reason ? h.outcome + '/' + h.reason : h.outcome, h.bytes, h.md5 ? h.md5.slice(0, 8) : '-',
          h.changed === true ? 'yes' : h.changed === false ? 'no' : '-'].forEach(function (v) { tr.appendChild(el('td', null, v)); });
        body.appendChild(tr);
      });
    });
  }

  function live(onEvent) {
    // EventSource cannot send an Authorization header, so the stream is read with fetch.
    var decoder = new TextDecoder();
    var buf = '';
    api('/api/events').then(function (r) {
      $('live').textContent = 'live';
      var reader = r.body.getReader();
      function pump() {
        return reader.read().then(function (x) {
          if (x.done) throw new Error('closed');
          buf += decoder.decode(x.value, { stream: true });
          var i;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            var chunk = buf.slice(0, i); buf = buf.slice(i + 2);
            var type = 'message', data = '';
            chunk.split('\n').forEach(function (line) {
              if (line.indexOf('event: ') === 0) type = line.slice(7);
              else if (line.indexOf('data: ') === 0) data += line.slice(6);
            });
            if (data) { try { onEvent(type, JSON.parse(data)); } catch (e) { /* ignore a malformed event */ } }
          }
          return pump();
        });
      }
      return pump();
    }).catch(function () {
      $('live').textContent = 'offline (retrying)';
      setTimeout(function () { live(onEvent); }, 3000);
    });
  }

  function start() {
    if (!token) { showLogin(); return; }
    var m = /^\/devices\/([0-9a-fA-F:.-]+)$/.exec(location.pathname);
    if (m) {
      var mac = m[1];
      $('device-view').classList.remove('hidden');
      $('d-resync').addEventListener('click', function () { resync({ macs: [mac] }, $('d-status')); });
      $('d-reboot').addEventListener('click', function () { resync({ macs: [mac], reboot: true }, $('d-status')); });
      loadDevice(mac).then(counts);
      live(function (type, e) { if (type === 'inventory' || (type === 'fetch' && e.mac && e.mac === mac.toLowerCase().replace(/[^0-9a-f]/g, ''))) loadDevice(mac).then(counts); });
      return;
    }
    $('list-view').classList.remove('hidden');
    loadList();
    // During a mass resync thousands of fetches arrive per minute: refresh at most every 2 s
    // (one list call at a time), so an open dashboard cannot keep the daemon busy.
    var last = 0, pendingRefresh = null;
    var refresh = function () {
      if (pendingRefresh) return;
      var wait = Math.max(0, last + 2000 - Date.now());
      pendingRefresh = setTimeout(function () { pendingRefresh = null; last = Date.now(); loadList(); }, wait);
    };
    live(function (type, e) { if (type === 'inventory' || (type === 'fetch' && e.mac)) refresh(); });
  }
  start();
})();
`;
