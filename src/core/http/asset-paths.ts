/**
 * The addresses pages give their scripts and stylesheet. Once the site has loaded its built assets
 * (web/bundle.ts registers them at start) these are content-hashed names cached forever; before that, or
 * when a name is unknown, the plain alias (`/assets/player.js`), which revalidates.
 */
const hashed = new Map<string, string>();

export function registerAssetPaths(names: Iterable<[plain: string, hashedName: string]>): void {
  for (const [plain, name] of names) hashed.set(plain, name);
}

export function assetPath(plain: string): string {
  return `/assets/${hashed.get(plain) ?? plain}`;
}
