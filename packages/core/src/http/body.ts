/**
 * Reads a request body up to `limit` bytes. Returns undefined when it is larger: the declared
 * length is checked first so an oversized upload is refused before it is read, and a body without
 * a length is counted as it streams and abandoned at the limit. A declared length may lie, so the
 * caller still checks the text's length (in UTF-16 units, a lower bound of its bytes).
 */
export function readBodyText(request: Request, limit: number): Promise<string | undefined> {
  const declared = request.headers.get("content-length");
  if (declared !== null) {
    const length = Number(declared);
    if (Number.isFinite(length) && length > limit) return refuse(request);
    // The common case, handed over as it is: no async frame or extra promise of its own.
    if (Number.isFinite(length)) return request.text();
  }
  return readCounted(request, limit);
}

async function refuse(request: Request): Promise<undefined> {
  await request.body?.cancel().catch(() => {});
  return undefined;
}

async function readCounted(request: Request, limit: number): Promise<string | undefined> {
  const body = request.body;
  if (!body) return "";
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(joined);
}
