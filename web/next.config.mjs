/** A static export: the API server serves it from the same origin (decision 0016). */
const config = {
  output: 'export',
  // Every route is a folder with index.html, which a plain static server can find.
  trailingSlash: true,
  images: { unoptimized: true },
  reactStrictMode: true,
  poweredByHeader: false,
};

export default config;
