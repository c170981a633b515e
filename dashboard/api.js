// What every view shares: the signed-in state, calls to /v1 as any client makes them, and small DOM helpers.
export const KEY = 'jobway.apiKey';
export const $ = (id) => document.getElementById(id);
export const state = { config: null, key: sessionStorage.getItem(KEY), socket: null };

/** Calls the API with the signed-in key; a non-2xx answer throws an Error saying its status and problem detail. */
export async function api(method, path, body) {
  const headers = { authorization: `Bearer ${state.key}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(state.config.apiUrl + path,
    { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const detail = json && (json.detail || json.message) || response.statusText;
    const error = new Error(`${response.status}: ${detail}`);
    error.status = response.status;
    throw error;
  }
  return json;
}

/** The message to show for a failed call: an admin-only view says so instead of a bare 403. */
export function problem(e) {
  return e.status === 403 ? 'This view needs a key with the admin scope.' : e.message;
}

export function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text ?? '';
  if (className) td.className = className;
  return td;
}

export function when(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}
