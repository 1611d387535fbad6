// A mock model endpoint on 127.0.0.1 speaking just enough of the Anthropic Messages, OpenAI Responses and
// Gemini APIs, streaming (SSE), for the real agent CLIs to run offline. The test scripts the replies: each
// "main" request (the agent's turn, recognised by the tools it offers) takes the next reply of its API's
// queue; side requests (titles, topic checks, routing, token counts) get brief canned answers.
import http from 'node:http';

/**
 * @typedef {{ kind: 'text', text?: string, tokenMs?: number, seconds?: number }
 *   | { kind: 'tool', name: string, input: object }
 *   | { kind: 'error', status: number, message?: string }} Reply
 *   text: streams `text` (default "Done.") word by word; with `seconds`, streams words every `tokenMs`
 *   (default 200 ms) for that long, so the agent is visibly working.
 *   tool: one tool call; error: an HTTP error with the API's error body.
 * @typedef {'anthropic' | 'openai' | 'gemini'} Api
 * @typedef {{ api: Api, path: string, main: boolean, at: number, body: any }} Logged
 */

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Start the server; resolves once it listens. */
export async function startMockModel({ log = () => {} } = {}) {
  /** @type {Record<Api, Reply[]>} */
  const queues = { anthropic: [], openai: [], gemini: [] };
  /** @type {Logged[]} */
  const requests = [];
  /** @type {Set<() => void>} */
  const waiters = new Set();
  let ids = 0;
  const nextId = (prefix) => `${prefix}_${Date.now().toString(36)}${(++ids).toString(36)}`;

  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body = {};
    try { body = raw ? JSON.parse(raw) : {}; } catch { body = { raw }; }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let aborted = false;
    res.on('close', () => { aborted = !res.writableFinished; });
    const ctx = { req, res, url, body, isAborted: () => aborted, nextId };
    try {
      await route(ctx);
    } catch (error) {
      log(`mock: ${req.method} ${url.pathname} failed: ${error}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: String(error) } }));
    }
  });

  /** @param {Api} api @param {string} path @param {boolean} main @param {any} body */
  function record(api, path, main, body) {
    requests.push({ api, path, main, at: Date.now(), body });
    log(`mock: ${api} ${main ? 'MAIN' : 'side'} ${path}`);
    for (const wake of waiters) wake();
  }

  /** @param {Api} api @returns {Reply} */
  const take = (api) => queues[api].shift() ?? { kind: 'text', text: 'Done.' };

  async function route(ctx) {
    const { req, res, url, body } = ctx;
    const path = url.pathname;
    if (req.method === 'GET') {
      // Model lists and health checks: an empty but well-formed answer.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: [], models: [], object: 'list' }));
      log(`mock: GET ${path}`);
      return;
    }
    if (path.endsWith('/messages/count_tokens')) {
      record('anthropic', path, false, body);
      return json(res, 200, { input_tokens: 100 });
    }
    if (path.endsWith('/messages')) {
      const main = Array.isArray(body.tools) && body.tools.some((t) => t.name === 'Bash');
      record('anthropic', path, main, body);
      return anthropic(ctx, main ? take('anthropic') : sideText(body));
    }
    if (path.endsWith('/responses')) {
      const main = Array.isArray(body.tools) && body.tools.length > 0;
      record('openai', path, main, body);
      return openai(ctx, main ? take('openai') : { kind: 'text', text: 'OK' });
    }
    if (path.includes(':countTokens')) {
      record('gemini', path, false, body);
      return json(res, 200, { totalTokens: 100 });
    }
    if (path.includes(':streamGenerateContent') || path.includes(':generateContent')) {
      const tools = (body.tools ?? []).flatMap((t) => t.functionDeclarations ?? []);
      const main = tools.length > 0;
      record('gemini', path, main, body);
      const reply = main ? take('gemini') : { kind: 'text', text: geminiSideText(body) };
      return gemini(ctx, reply, path.includes(':streamGenerateContent'));
    }
    log(`mock: unhandled ${req.method} ${path}`);
    json(res, 404, { error: { message: `mock: no route for ${path}` } });
  }

  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());

  return {
    port: address.port,
    url: `http://127.0.0.1:${address.port}`,
    /** Queue replies for the next main requests of `api`. @param {Api} api @param {...Reply} replies */
    push(api, ...replies) { queues[api].push(...replies); },
    /** Drop queued replies (between steps). @param {Api} api */
    clear(api) { queues[api].length = 0; },
    requests,
    /** Resolve with the first logged request after `since` matching `pred`, or null at the deadline. */
    async waitForRequest(pred, timeoutMs, since = 0) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = requests.find((r) => r.at >= since && pred(r));
        if (hit) return hit;
        const left = deadline - Date.now();
        if (left <= 0) return null;
        await new Promise((resolve) => {
          const wake = () => { waiters.delete(wake); clearTimeout(timer); resolve(); };
          const timer = setTimeout(wake, left);
          waiters.add(wake);
        });
      }
    },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

function json(res, status, value) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

function sse(res) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
}

/** Yields the words of a text reply, paced as the reply asks. @param {Reply & {kind:'text'}} reply */
async function* words(reply, isAborted) {
  if (reply.seconds) {
    const tokenMs = reply.tokenMs ?? 200;
    const end = Date.now() + reply.seconds * 1000;
    let n = 0;
    while (Date.now() < end && !isAborted()) {
      yield `${n % 12 === 11 ? 'word.\n\n' : 'word '}`;
      n++;
      await sleep(tokenMs);
    }
    yield reply.text ?? 'Finished streaming.';
    return;
  }
  const parts = (reply.text ?? 'Done.').split(/(?<= )/);
  for (const part of parts) yield part;
}

/** A brief answer for an Anthropic side request; title generation asks for JSON. */
function sideText(body) {
  const system = JSON.stringify(body.system ?? '');
  if (body.output_format || /json/i.test(system)) return { kind: 'text', text: '{"title": "Mock session", "isNewTopic": false}' };
  return { kind: 'text', text: 'OK' };
}

// ---------------------------------------------------------------------------------------------- Anthropic

async function anthropic({ res, body, isAborted, nextId }, reply) {
  if (reply.kind === 'error') {
    const type = reply.status === 529 ? 'overloaded_error' : reply.status === 400 ? 'invalid_request_error' : 'api_error';
    return json(res, reply.status, { type: 'error', error: { type, message: reply.message ?? `Mock ${reply.status}` } });
  }
  const model = body.model ?? 'claude-mock';
  const usage = { input_tokens: 100, output_tokens: 10, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
  if (!body.stream) {
    const content = reply.kind === 'tool'
      ? [{ type: 'tool_use', id: nextId('toolu'), name: reply.name, input: reply.input }]
      : [{ type: 'text', text: reply.text ?? 'Done.' }];
    return json(res, 200, {
      id: nextId('msg'), type: 'message', role: 'assistant', model, content,
      stop_reason: reply.kind === 'tool' ? 'tool_use' : 'end_turn', stop_sequence: null, usage,
    });
  }
  sse(res);
  const send = (type, data) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  send('message_start', {
    message: { id: nextId('msg'), type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage },
  });
  if (reply.kind === 'tool') {
    send('content_block_start', { index: 0, content_block: { type: 'tool_use', id: nextId('toolu'), name: reply.name, input: {} } });
    send('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: JSON.stringify(reply.input) } });
    send('content_block_stop', { index: 0 });
    send('message_delta', { delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 10 } });
  } else {
    send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
    for await (const text of words(reply, isAborted)) {
      if (isAborted()) return;
      send('content_block_delta', { index: 0, delta: { type: 'text_delta', text } });
    }
    send('content_block_stop', { index: 0 });
    send('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 10 } });
  }
  send('message_stop', {});
  res.end();
}

// ----------------------------------------------------------------------------------------- OpenAI Responses

async function openai({ res, body, isAborted, nextId }, reply) {
  if (reply.kind === 'error') {
    return json(res, reply.status, { error: { message: reply.message ?? `Mock ${reply.status}`, type: 'server_error', code: null } });
  }
  sse(res);
  const responseId = nextId('resp');
  const send = (type, data) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  const base = { id: responseId, object: 'response', created_at: Math.floor(Date.now() / 1000), model: body.model ?? 'mock', status: 'in_progress', output: [] };
  send('response.created', { response: base });
  let item;
  if (reply.kind === 'tool') {
    item = { type: 'function_call', id: nextId('fc'), call_id: nextId('call'), name: reply.name, arguments: JSON.stringify(reply.input), status: 'completed' };
    send('response.output_item.added', { output_index: 0, item: { ...item, arguments: '' } });
    send('response.function_call_arguments.delta', { item_id: item.id, output_index: 0, delta: item.arguments });
    send('response.output_item.done', { output_index: 0, item });
  } else {
    const id = nextId('msg');
    send('response.output_item.added', { output_index: 0, item: { type: 'message', id, role: 'assistant', status: 'in_progress', content: [] } });
    let text = '';
    for await (const delta of words(reply, isAborted)) {
      if (isAborted()) return;
      text += delta;
      send('response.output_text.delta', { item_id: id, output_index: 0, content_index: 0, delta });
    }
    item = { type: 'message', id, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] };
    send('response.output_item.done', { output_index: 0, item });
  }
  send('response.completed', {
    response: {
      ...base, status: 'completed', output: [item],
      usage: { input_tokens: 100, input_tokens_details: { cached_tokens: 0 }, output_tokens: 10, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 110 },
    },
  });
  res.end();
}

// ------------------------------------------------------------------------------------------------- Gemini

/** Side requests (routing, next-speaker checks) ask for JSON by schema: fill it in. */
function geminiSideText(body) {
  const schema = body.generationConfig?.responseJsonSchema ?? body.generationConfig?.responseSchema;
  if (schema) return JSON.stringify(fromSchema(schema));
  return 'OK';
}

function fromSchema(schema) {
  const type = String(schema.type ?? 'object').toLowerCase();
  if (schema.enum) return schema.enum.find((v) => ['user', 'flash'].includes(v)) ?? schema.enum[0];
  if (type === 'object') {
    return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, fromSchema(v)]));
  }
  if (type === 'array') return [];
  if (type === 'boolean') return false;
  if (type === 'number' || type === 'integer') return 0;
  return 'ok';
}

async function gemini({ res, body, isAborted }, reply, stream) {
  if (reply.kind === 'error') {
    const status = { 400: 'INVALID_ARGUMENT', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE' }[reply.status] ?? 'UNKNOWN';
    return json(res, reply.status, { error: { code: reply.status, message: reply.message ?? `Mock ${reply.status}`, status } });
  }
  const usageMetadata = { promptTokenCount: 100, candidatesTokenCount: 10, totalTokenCount: 110 };
  const chunk = (parts, finishReason) => ({
    candidates: [{ content: { role: 'model', parts }, index: 0, ...(finishReason ? { finishReason } : {}) }],
    usageMetadata, modelVersion: body.model ?? 'gemini-mock',
  });
  const partsOf = () => reply.kind === 'tool' ? [{ functionCall: { name: reply.name, args: reply.input } }] : null;
  if (!stream) {
    let text = '';
    if (reply.kind === 'text') for await (const w of words({ ...reply, seconds: 0 }, isAborted)) text += w;
    return json(res, 200, chunk(partsOf() ?? [{ text }], 'STOP'));
  }
  sse(res);
  const send = (value) => res.write(`data: ${JSON.stringify(value)}\r\n\r\n`);
  if (reply.kind === 'tool') {
    send(chunk(partsOf(), 'STOP'));
  } else {
    for await (const text of words(reply, isAborted)) {
      if (isAborted()) return;
      send(chunk([{ text }]));
    }
    send(chunk([{ text: '' }], 'STOP'));
  }
  res.end();
}
