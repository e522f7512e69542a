/**
 * The costly work a verifier asks of WebCrypto, counted: bytes hashed and signatures checked.
 * Tests bound these instead of timing a run (no wall-clock limits in tests; speed targets live
 * in bench/). The calls go through to the real `crypto.subtle`; only the counting is added,
 * on the one SubtleCrypto instance that core and pkijs's engine both use, and taken off after.
 */
export interface CryptoWork {
  /** Bytes given to `crypto.subtle.digest`. */
  hashedBytes: number;
  /** Calls of `crypto.subtle.verify`. */
  verifications: number;
}

export async function countCryptoWork<T>(run: () => Promise<T>): Promise<{ result: T } & CryptoWork> {
  const subtle = globalThis.crypto.subtle;
  const { digest, verify } = subtle;
  const work: CryptoWork = { hashedBytes: 0, verifications: 0 };
  subtle.digest = (algorithm: AlgorithmIdentifier, data: BufferSource) => {
    work.hashedBytes += data.byteLength;
    return digest.call(subtle, algorithm, data);
  };
  subtle.verify = (...args: Parameters<SubtleCrypto['verify']>) => {
    work.verifications++;
    return verify.apply(subtle, args);
  };
  try {
    const result = await run();
    return { result, ...work };
  } finally {
    // Back to the prototype's methods.
    Reflect.deleteProperty(subtle, 'digest');
    Reflect.deleteProperty(subtle, 'verify');
  }
}
