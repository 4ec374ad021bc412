/**
 * A DNS-1123 object name `prefix-part` (lowercase, digits and "-", at most 63 characters, so that it also
 * fits a label), unique among `taken`: a file name becomes an object name.
 */
export function objectName(prefix: string, part: string, taken: Set<string>): string {
  const cleaned = part
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const base = `${prefix}-${cleaned}`.slice(0, 58).replace(/-+$/, '');
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
  taken.add(name);
  return name;
}
