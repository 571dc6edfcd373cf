/** The admin API described in OpenAPI 3.1, served at /api/openapi.json. */
const q = (name: string, description: string, schema: Record<string, unknown> = { type: 'string' }) => ({ name, in: 'query', required: false, description, schema });
const path = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });
const json = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
const problems = json('Malformed parameters: `problems` lists each one ({param, problem})');
const common = { 401: { description: 'Missing or wrong token (the body says nothing more)' }, 400: problems };

export const OPENAPI = {
  openapi: '3.1.0',
  info: { title: 'provd admin API', version: '1', description: 'Devices, fetch ledger, status, render previews, resync over SIP NOTIFY and jobs. Every route but /healthz, /readyz and this document needs `Authorization: Bearer <token>`.' },
  components: { securitySchemes: { token: { type: 'http', scheme: 'bearer' } } },
  security: [{ token: [] }],
  paths: {
    '/healthz': { get: { security: [], summary: 'Liveness', responses: { 200: json('alive') } } },
    '/readyz': { get: { security: [], summary: 'Readiness: inventory loaded and listeners bound', responses: { 200: json('ready'), 503: json('starting') } } },
    '/metrics': { get: { summary: 'Prometheus metrics (text format)', responses: { 200: { description: 'text/plain; version=0.0.4' }, 401: common[401] } } },
    '/api/devices': {
      get: {
        summary: 'Devices with their delivery state per file',
        parameters: [
          q('vendor', 'vendor id, e.g. yealink'), q('model', 'model, e.g. T46U'), q('site', 'site name'),
          q('state', 'overall state', { type: 'string', enum: ['current', 'pending', 'never'] }), q('q', 'search in MAC, model, site, profile, labels, address'),
          q('limit', '1-5000, default 500', { type: 'integer' }), q('offset', 'default 0', { type: 'integer' }),
        ],
        responses: { 200: json('{total, limit, offset, devices[]}'), ...common },
      },
    },
    '/api/devices/{mac}': { get: { summary: 'One device: files, masked accounts, recent history', parameters: [path('mac', 'any MAC notation')], responses: { 200: json('device'), 404: json('unknown device'), ...common } } },
    '/api/devices/{mac}/files/{name}': {
      get: {
        summary: "Today's render of a device file, secrets masked",
        parameters: [path('mac', 'MAC'), path('name', 'file name'), q('unmasked', 'true needs the secrets scope', { type: 'string', enum: ['true', 'false'] })],
        responses: { 200: { description: 'text/plain; X-Provd-Md5 header' }, 403: json('scope missing'), 404: json('no such device or file'), ...common },
      },
    },
    '/api/devices/{mac}/files/{name}/diff': { get: { summary: 'Masked line diff: last delivered against current', parameters: [path('mac', 'MAC'), path('name', 'file name')], responses: { 200: json('{lines[{op,text}] or null, note}'), ...common } } },
    '/api/ledger': {
      get: {
        summary: 'Fetch records, newest first, paginated',
        parameters: [
          q('mac', 'device'), q('since', 'ISO time, inclusive'), q('until', 'ISO time, inclusive'),
          q('outcome', 'served, stored, not_found, denied, failed, aborted'), q('limit', '1-1000, default 100', { type: 'integer' }), q('offset', 'default 0', { type: 'integer' }),
        ],
        responses: { 200: json('{rows[], more, next}'), ...common },
      },
    },
    '/api/status': { get: { summary: 'Counts of current/pending/never overall, per site and per model', responses: { 200: json('summary'), ...common } } },
    '/api/inventory': { get: { summary: 'Last inventory load attempt and last good load, with problems', responses: { 200: json('inventory state'), ...common } } },
    '/api/resync': {
      get: { summary: 'Resync runs of this daemon', responses: { 200: json('{runs[]}'), ...common } },
      post: {
        summary: 'Start a resync (scope resync): SIP NOTIFY in rate-limited waves',
        requestBody: { content: { 'application/json': { schema: { type: 'object', properties: {
          macs: { type: 'array', items: { type: 'string' } }, pending: { type: 'boolean' }, site: { type: 'string' }, model: { type: 'string' },
          reboot: { type: 'boolean' }, rate: { type: 'number' }, waves: { type: 'array', items: { type: 'integer' } },
        } } } } },
        responses: { 202: json('the run'), 403: json('scope missing'), 422: json('nothing matched'), ...common },
      },
    },
    '/api/resync/{id}': { get: { summary: 'One resync run with per-device SIP results', parameters: [path('id', 'run id')], responses: { 200: json('run'), 404: json('unknown run'), ...common } } },
    '/api/jobs': { get: { summary: 'Scheduled jobs: schedule, next and last run', responses: { 200: json('{jobs[]}'), ...common } } },
    '/api/jobs/{name}/run': { post: { summary: 'Run a job now (scope jobs)', parameters: [path('name', 'job name')], responses: { 200: json('run report'), 404: json('unknown job'), ...common } } },
    '/api/events': { get: { summary: 'Server-sent events: fetch, inventory, resync, job', responses: { 200: { description: 'text/event-stream' }, 401: common[401] } } },
  },
} as const;
