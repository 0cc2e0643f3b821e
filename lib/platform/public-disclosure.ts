/**
 * The public disclosure site (信用信息公示): one definition used by the api routes, the CDK construct
 * and the local gateway. Everything under `basePath` answers without a key.
 */
export const publicDisclosure = {
  /** The page and its static assets: GET /public/ and GET /public/{asset}. */
  basePath: '/public',
  /** The read API: GET /public/v1/... (API Gateway: one `GET /public/v1/{proxy+}` method, no authorizer). */
  apiPath: '/public/v1',
  /** The page's entry document, served for GET /public and GET /public/. */
  indexDocument: 'index.html',
  /** Static assets live in web/public/ in the repository and under this prefix in the site bucket. */
  assetPrefix: 'public/',
  /**
   * Stage method settings of the public methods: anonymous traffic gets its own, lower ceiling so it
   * can never take the registered business systems' share of the stage.
   */
  throttle: { rateLimit: 50, burstLimit: 100 },
  /**
   * Methods of the public API proxy: GET reads; POST files what the law lets a subject file without an
   * account — an objection (异议) and its withdrawal, a credit-repair application and its steps, each
   * guarded by the application's secret — with a far lower ceiling of its own.
   */
  apiMethods: ['GET', 'POST'] as readonly string[],
  commandThrottle: { rateLimit: 5, burstLimit: 10 },
  /**
   * How long browsers and shared caches may keep an answer (Cache-Control max-age). Withdrawals must
   * leave the public view within 3 days (行政处罚法 art. 48); five minutes is far inside that.
   */
  cacheSeconds: 300,
  /** Static assets change only with a deployment. */
  assetCacheSeconds: 3600,
  /** The asset names the site serves (a flat folder: no paths, so no traversal). */
  assetName: /^[a-z0-9][a-z0-9-]*\.(html|js|css|svg)$/,
  contentTypes: {
    html: 'text/html; charset=utf-8',
    js: 'text/javascript; charset=utf-8',
    css: 'text/css; charset=utf-8',
    svg: 'image/svg+xml',
  },
} as const;

/** The repository folder the site's static assets live in (deployed to the site bucket as they are). */
export const publicSiteFolder = 'web/public';
