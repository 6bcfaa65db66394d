// Optional vars and secrets that wrangler.toml leaves unset (README "Configuration"): declared
// here so a fresh clone, without .dev.vars, type-checks the same way.
declare namespace Cloudflare {
  interface Env {
    IMAGE_SIGNING_KEY?: string;
    SITE_TITLE?: string;
    SITE_DESCRIPTION?: string;
    SITE_AUTHOR?: string;
    SITE_LANG?: string;
    SITE_TIMEZONE?: string;
    PER_PAGE?: string;
    SEARCH_XML_LIMIT?: string;
    CATEGORY_DIR?: string;
    TAG_DIR?: string;
    ARCHIVE_DIR?: string;
    PAGINATION_DIR?: string;
    CACHE_ARTICLE?: string;
    CACHE_LIST?: string;
    CACHE_API?: string;
    CACHE_FEED?: string;
    CACHE_STATIC?: string;
    CACHE_NOT_FOUND?: string;
  }
}
