// HTTP adapter: the stack trace of an unexpected failure as the log shows it, with each frame of a bundle mapped back
// to its TypeScript source. Every bundle ships its source map (index.mjs.map), but Node is not told to read it
// (--enable-source-maps would parse it at every cold start, 5 to 20 % of the import): it is read here instead, once per
// container, at the first failure that is logged, so only a function that fails pays for it.
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

/** A frame's location in a bundle as V8 prints it: file URL, line and column (both from 1). */
const BUNDLE_FRAME = /(file:\/\/[^\s()]+\.mjs):(\d+):(\d+)/g;

/** Each bundle's map, or null when it has none (a module Node loaded from its sources, as in the tests). */
const maps = new Map<string, SourceMap | null>();

function mapOf(bundle: string): SourceMap | null {
  let map = maps.get(bundle);
  if (map === undefined) {
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, 'utf8')));
    } catch {
      map = null;
    }
    maps.set(bundle, map);
  }
  return map;
}

/**
 * The stack with every frame that lies in a bundle shown at its source file, line and column, as
 * --enable-source-maps would show it; frames the map does not cover, and stacks without bundle frames, stay as
 * they are.
 */
export function sourceMappedStack(stack: string): string {
  return stack.replace(BUNDLE_FRAME, (frame, url: string, line: string, column: string) => {
    const origin = mapOf(fileURLToPath(url))?.findOrigin(Number(line), Number(column));
    // The map names sources relative to the bundle's folder; the part from the project's root is what a reader needs.
    return origin !== undefined && 'fileName' in origin
      ? `${origin.fileName.replace(/^(\.\.\/)+/, '')}:${origin.lineNumber}:${origin.columnNumber}`
      : frame;
  });
}
