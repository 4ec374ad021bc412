/**
 * After tsc: bundles the terminal UI (sandbox/tui: its two entry points, ink, react and their dependencies)
 * over tsc's early-frame.js and run-tui.js, sharing one chunk beside them, so that `sandbox start` reads a
 * few files instead of the hundreds of ink's and react's modules before its first frame. Our modules outside
 * sandbox/tui stay imports of tsc's output (one instance of the splash state and the exit hooks).
 */
import { readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { URL, fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TUI = join(ROOT, 'sandbox', 'tui');
const OUT = join(ROOT, 'dist', 'sandbox', 'tui');
const CHUNK = /^chunk-.*\.js(\.map)?$/;
const STRING_WIDTH = join(ROOT, 'node_modules', 'ink', 'node_modules', 'string-width', 'index.js');
/**
 * The characters the UI draws besides ASCII (borders, bullets, arrows, spinners, sparklines): one column
 * each, checked against string-width itself. On string-width's fast path, a line of them is as long as it
 * is wide, without the grapheme segmenter and the RGI_Emoji regex (~100 ms to compile, ~30 ms a test).
 */
const UI_CHARACTERS = '─━│┃╭╮╰╯┌┐└┘├┤┬┴┼═║╔╗╚╝·…→←↑↓↳✔✖●○◐◌▁▂▃▄▅▆▇█⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏–—≥≤“”‘’×';

/** string-width's fast-path test, widened to UI_CHARACTERS once each is one column and its own grapheme. */
function narrowOnly({ default: stringWidth }) {
  const graphemes = new Intl.Segmenter();
  for (const c of UI_CHARACTERS) {
    const line = `a${c}${c}a`;
    if (stringWidth(c) !== 1 || stringWidth(line) !== 4 || [...graphemes.segment(line)].length !== 4)
      throw new Error(`string-width: ${c} (U+${c.codePointAt(0).toString(16)}) is not one narrow grapheme`);
  }
  return `/^[\\u0020-\\u007E${UI_CHARACTERS}]*$/`;
}

/** A relative import that leaves sandbox/tui: external, as the path from the output folder to tsc's file. */
const ourModulesOutside = {
  name: 'our-modules-outside-the-ui',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, ({ path, resolveDir }) => {
      const target = resolve(resolveDir, path);
      if (!resolveDir.startsWith(join(ROOT, 'sandbox')) || target.startsWith(TUI + sep)) return undefined;
      return { path: `./${relative(TUI, target).split(sep).join('/')}`, external: true };
    });
  },
};

/**
 * What ink's dependencies load that the first frame does not need. yoga-layout's loader fetches its embedded
 * WASM through a data: URL when fetch exists, which loads Node's fetch (undici, ~150 ms); without fetch in
 * its scope it decodes the same bytes itself. terminal-size runs tput only when the stream is not a
 * terminal: child_process (and net) load then.
 */
const lighterInkDependencies = {
  name: 'lighter-ink-dependencies',
  setup(b) {
    // One string-width (ink's) for ink, widest-line, cli-truncate and wrap-ansi, with the UI's characters
    // on its fast path (narrowOnly).
    b.onResolve({ filter: /^string-width$/ }, () => ({ path: STRING_WIDTH }));
    b.onLoad({ filter: /string-width[\\/]index\.js$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      const fastPath = 'if (/^[\\u0020-\\u007E]*$/.test(string)) {';
      if (!source.includes(fastPath)) throw new Error(`${path}: its ASCII fast path has changed`);
      const narrow = `if (${narrowOnly(await import(pathToFileURL(path).href))}.test(string)) {`;
      return { contents: source.replace(fastPath, narrow), loader: 'js' };
    });
    // Under DEV=true ink reads its package.json beside its own files, which the bundle is not.
    b.onLoad({ filter: /ink[\\/]build[\\/]reconciler\.js$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      const read = 'await loadPackageJson()';
      if (!source.includes(read)) throw new Error(`${path}: its package.json reading has changed`);
      const { name, version } = JSON.parse(await readFile(join(path, '..', '..', 'package.json'), 'utf8'));
      return { contents: source.replace(read, JSON.stringify({ name, version })), loader: 'js' };
    });
    b.onLoad({ filter: /yoga-wasm-base64-esm\.js$/ }, async ({ path }) => {
      return { contents: `const fetch = undefined;\n${await readFile(path, 'utf8')}`, loader: 'js' };
    });
    b.onLoad({ filter: /terminal-size[\\/]index\.js$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      const eager = "import {execFileSync} from 'node:child_process';";
      if (!source.includes(eager)) throw new Error(`${path}: its child_process import has changed`);
      const lazy = "const execFileSync = (...args) => require('node:child_process').execFileSync(...args);";
      return { contents: source.replace(eager, lazy), loader: 'js' };
    });
  },
};

const { metafile } = await build({
  entryPoints: [join(TUI, 'early-frame.tsx'), join(TUI, 'run-tui.tsx')],
  outdir: OUT,
  chunkNames: 'chunk-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  tsconfig: join(ROOT, 'tsconfig.build.json'),
  // React's production build whatever NODE_ENV the user has (the CLI sets production when unset).
  define: { 'process.env.NODE_ENV': '"production"' },
  // CommonJS dependencies (react, signal-exit) require Node's modules.
  banner: {
    js: `import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);`,
  },
  minifySyntax: true,
  minifyWhitespace: true,
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
  // Under DEV=true ink would import it, as it does unbundled; it is not installed: ink says so.
  external: ['react-devtools-core'],
  metafile: true,
  plugins: [ourModulesOutside, lighterInkDependencies],
});
// The chunks of earlier builds.
const written = new Set(Object.keys(metafile.outputs).map((path) => resolve(ROOT, path)));
for (const file of readdirSync(OUT).filter((f) => CHUNK.test(f) && !written.has(join(OUT, f))))
  rmSync(join(OUT, file));
