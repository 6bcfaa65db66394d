/** Wires the app: routes, error handling. Everything else lives in its own module. */
import { Hono } from 'hono';
import { imageRoutes } from './images/image-route.js';
import { warmUp } from './render/warm-up.js';
import { api } from './routes/api.js';
import type { AppEnv } from './routes/app-env.js';
import { notFound, onError } from './routes/errors.js';
import { feeds } from './routes/feeds.js';
import { pages } from './routes/pages.js';
import { staticRoutes } from './routes/static.js';

const app = new Hono<AppEnv>();

app.route('/', staticRoutes);
app.route('/img', imageRoutes);
app.route('/api', api);
app.route('/', feeds);
// Last: it answers every other path (Hexo list paths, then article permalinks).
app.route('/', pages);

app.notFound(notFound);
app.onError(onError);

// Pay linkedom's first-parse cost at isolate start-up, not in the first reader's request.
warmUp();

export default app;
