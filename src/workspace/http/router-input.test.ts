import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Flag, Id, Int, OptionalText, RequiredText } from '../../api/common.js';
import { ApiError } from '../../core/errors.js';
import { ApiRouter, type AppEnv } from './router.js';

/** An app with the router's input handling and Databricks-shaped errors, without a token check. */
function app(register: (router: ApiRouter) => void): Hono<AppEnv> {
  const hono = new Hono<AppEnv>();
  hono.onError((err, c) => (err instanceof ApiError ? c.json(err.toBody(), err.status as 400) : c.json({ error: String(err) }, 500)));
  register(new ApiRouter(hono, async (_c, next) => next()));
  return hono;
}

const Input = z.object({ path: RequiredText, recursive: Flag, limit: Int, id: Id, note: OptionalText });

async function call(hono: Hono<AppEnv>, url: string, init?: RequestInit): Promise<{ status: number; body: unknown }> {
  const res = await hono.request(url, init);
  return { status: res.status, body: await res.json() };
}

describe('route input', () => {
  const hono = app((r) => {
    r.get('/in', { input: Input }, (_c, input) => input);
    r.post('/in', { input: Input }, (_c, input) => input);
    r.put('/raw', { input: z.object({ overwrite: Flag }), body: 'raw' }, async (c, input) => ({ ...input, text: await c.req.text() }));
    r.post('/form', { input: z.object({ path: RequiredText, content: z.instanceof(Uint8Array) }) }, (_c, input) => ({ path: input.path, bytes: [...input.content] }));
    r.post('/scim', { input: z.object({ n: Int }), renderError: (err) => new Response(JSON.stringify({ detail: err.message }), { status: err.status }) }, () => ({}));
  });

  it('merges the query string and the JSON body and converts text values', async () => {
    expect(await call(hono, '/in?path=/a&recursive=True&limit=5', { method: 'POST', body: JSON.stringify({ id: '42', note: null }) })).toEqual({
      status: 200,
      body: { path: '/a', recursive: true, limit: 5, id: 42 },
    });
  });

  it('names a missing field apart from a field of the wrong type', async () => {
    const err = (message: string) => ({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message } });
    expect(await call(hono, '/in')).toEqual(err('Missing required field: path'));
    expect(await call(hono, '/in?path=')).toEqual(err('Missing required field: path'));
    expect(await call(hono, '/in', { method: 'POST', body: JSON.stringify({ path: 7 }) })).toEqual(err('Invalid value for path: expected a string'));
    expect(await call(hono, '/in?path=/a&recursive=yes')).toEqual(err('Invalid value for recursive: expected true or false, got "yes"'));
    expect(await call(hono, '/in?path=/a&limit=1.5')).toEqual(err('Invalid value for limit: expected an integer, got "1.5"'));
    expect(await call(hono, '/in', { method: 'POST', body: JSON.stringify({ path: '/a', id: 1.5 }) })).toEqual(err('Invalid value for id: expected an integer id, got 1.5'));
  });

  it('leaves a raw body to the handler and reads the input from the query string only', async () => {
    expect(await call(hono, '/raw?overwrite=false', { method: 'PUT', body: 'not json' })).toEqual({ status: 200, body: { overwrite: false, text: 'not json' } });
  });

  it('reads multipart form data: text parts as strings, file parts as bytes', async () => {
    const form = new FormData();
    form.set('path', '/a');
    form.set('content', new Blob([new Uint8Array([1, 2, 255])]), 'content');
    expect(await call(hono, '/form', { method: 'POST', body: form })).toEqual({ status: 200, body: { path: '/a', bytes: [1, 2, 255] } });
  });

  it("renders a route's errors, validation errors included, with its own renderer", async () => {
    expect(await call(hono, '/scim', { method: 'POST', body: '{"n": "x"}' })).toEqual({ status: 400, body: { detail: 'Invalid value for n: expected an integer, got "x"' } });
    expect(await call(hono, '/scim', { method: 'POST', body: '{' })).toEqual({ status: 400, body: { detail: 'Invalid JSON given in the body of the request - failed to parse given JSON' } });
  });
});
