/** Definitions keyed by their own name, so that a name is written once and a misspelt one does not compile. */
export function byName<const D extends readonly { readonly name: string }[]>(
  definitions: D,
): { readonly [E in D[number] as E['name']]: E } {
  return Object.fromEntries(definitions.map((d) => [d.name, d])) as { [E in D[number] as E['name']]: E };
}
