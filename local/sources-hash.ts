// Local runtime: the cache key of what is built from the project's files (the synthesized template, the bundles): a
// hash of each file's path and content, so that a change to any of them builds again and nothing else does.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '..');

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => filesUnder(join(path, name)));
}

/** A hash of every file under `sources` (paths from the project root), but those whose path `ignored` matches. */
export function sourcesHash(sources: readonly string[], ignored?: RegExp): string {
  const hash = createHash('sha256');
  for (const file of sources.flatMap((source) => filesUnder(join(ROOT, source)))) {
    const path = relative(ROOT, file);
    if (ignored === undefined || !ignored.test(path)) hash.update(path).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 24);
}
