/**
 * `work`'s result if it settles within `ms`, else `undefined` while the work carries on.
 * A rejection within `ms` rejects here too; a later one is left to whoever awaits `work`.
 */
export async function within<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
