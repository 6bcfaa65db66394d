# Self-hosted workerd: an example configuration for this Worker.
#
#   npx wrangler deploy --dry-run --outdir dist        # bundles src/ into dist/index.js
#   IMAGE_SIGNING_KEY="$(openssl rand -base64 32)" \
#     node_modules/@cloudflare/workerd-linux-64/bin/workerd serve docs/workerd.capnp
#
# The point of this file is the "internet" service: the network the Worker's fetch() uses, which
# the image route uses to fetch images. `allow = ["public"]` (workerd's own default, written out
# so that nobody widens it by accident) means workerd resolves a host name and connects only if
# the address it is about to connect to is public: never loopback, RFC 1918, link-local, CGNAT or
# unique-local. A post or a redirect naming `vm`, `metadata.google.internal` or any name that
# resolves to 127.0.0.1 gets a failed fetch (the image route answers 502), and the internal
# service receives nothing. Never add "private" or "local" to `allow`: that makes the image
# route a way into your network (docs/image-route.md, "Guarantees per environment").
#
# tests/e2e/images/run-image-route-e2e.mts runs this very file against a loopback service
# behind a host name and checks that the service receives no request.

using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .edgeContentProxy),
    (name = "internet", network = (allow = ["public"], tlsOptions = (trustBrowserCas = true))),
    # Workers KV and D1: workerd has no storage of its own for them. Point these at services that
    # speak the binding protocols (Miniflare's KV and D1 workers are such services). The image
    # route uses neither; every content page needs both.
    (name = "kv", external = (address = "127.0.0.1:8789", http = ())),
    (name = "d1", external = (address = "127.0.0.1:8790", http = ())),
  ],
  sockets = [
    # Put a TLS-terminating proxy in front, and set SITE_URL below to the public origin.
    (name = "http", address = "*:8787", http = (), service = "main"),
  ],
);

const edgeContentProxy :Workerd.Worker = (
  modules = [(name = "index.js", esModule = embed "../dist/index.js")],
  # Keep in step with wrangler.toml.
  compatibilityDate = "2026-04-26",
  compatibilityFlags = ["nodejs_compat"],
  globalOutbound = "internet",
  bindings = [
    (name = "ARTICLES", kvNamespace = "kv"),
    (name = "DB", wrapped = (moduleName = "cloudflare-internal:d1-api", innerBindings = [(name = "fetcher", service = "d1")])),
    # Secret: from the environment, never from this file. The development key from
    # .dev.vars.example is refused unless SITE_URL is a local origin.
    (name = "IMAGE_SIGNING_KEY", fromEnvironment = "IMAGE_SIGNING_KEY"),
    # The [vars] of wrangler.toml (README, "Configuration").
    (name = "SITE_URL", text = "https://news.example.com"),
    (name = "PERMALINK", text = "p/:abbrlink.html"),
    (name = "ABBRLINK_ALG", text = "crc16"),
    (name = "ABBRLINK_REP", text = "hex"),
    (name = "FEED_SIZE", text = "20"),
    (name = "PROXY_PREFIXES", text = "https://cors.zfour.workers.dev/?"),
    (name = "ROUTE_ALL_IMAGES", text = "true"),
    (name = "IFRAME_ALLOWLIST", text = ""),
    (name = "IMAGE_HOST_ALLOWLIST", text = ""),
    (name = "IMAGE_TIMEOUT_MS", text = "10000"),
    (name = "IMAGE_MAX_BYTES", text = "10485760"),
    (name = "KV_TIMEOUT_MS", text = "3000"),
    (name = "HOT_CACHE_MS", text = "1000"),
  ],
);
