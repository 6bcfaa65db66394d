/**
 * Child process for the render benchmark's cold numbers: imports the renderer in a fresh Node
 * process and times the very first renderArticleHtml call (and the second, for comparison).
 * Prints one JSON line. Usage: node --import tsx bench/cold-render.ts <fixture file name>
 */
export {};

const t0 = performance.now();
const [{ getConfig }, { renderArticleHtml }, { loadCorpus }, { benchEnv, fixturesDir, readWranglerToml }] = await Promise.all([
  import('../src/config.js'),
  import('../src/render/render-article.js'),
  import('./lib/corpus.js'),
  import('./lib/project.js'),
]);
const importMs = performance.now() - t0;
const file = process.argv[2] ?? '';
const post = (await loadCorpus(fixturesDir)).find((p) => p.file === file);
if (!post) throw new Error(`no fixture ${file}`);
const config = getConfig(benchEnv(readWranglerToml()));
let t = performance.now();
renderArticleHtml(config, post.article);
const firstMs = performance.now() - t;
t = performance.now();
renderArticleHtml(config, post.article);
const secondMs = performance.now() - t;
process.stdout.write(`${JSON.stringify({ importMs, firstMs, secondMs })}\n`);
