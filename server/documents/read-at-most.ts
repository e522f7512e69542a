/**
 * The body of an HTTP answer from a service Overa asks (a time-stamping authority, an OCSP
 * responder, a CRL distribution point), refused — and the connection dropped — as soon as it
 * passes `limit` bytes, so a misbehaving service cannot fill the memory. `what` names what the
 * answer should have been, for the error.
 */
export async function readAtMost(res: Response, limit: number, what: string): Promise<ArrayBuffer> {
  const declared = Number(res.headers.get('Content-Length'));
  if (Number.isFinite(declared) && declared > limit) {
    await res.body?.cancel();
    throw new Error(`the answer is ${declared} bytes, more than ${what} (at most ${limit})`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body?.getReader();
  if (!reader) return new ArrayBuffer(0);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw new Error(`the answer is more than ${limit} bytes, more than ${what}`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out.buffer;
}
